import { runApiExpectingFailure, startApi, type RunningApi } from './support/api-process';
import { send, serviceToken } from './support/http';
import { TestIdp } from './support/idp';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) if (condition()) return true;
  return condition();
}

const configWith = (api: RunningApi, authorization?: string) =>
  send(api.baseUrl, '/api/uploads/config', { headers: authorization ? { authorization } : {} });

describe("the provider's keys through an outage", () => {
  const idp = new TestIdp('local-idp-key-outage', 7476);
  let api: RunningApi;

  beforeAll(async () => {
    idp.start();
    api = await startApi({
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: 'api://dropgate',
      OIDC_JWKS_MAX_AGE_SECONDS: '1',
      OIDC_JWKS_COOLDOWN_SECONDS: '1',
    });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    idp.reset();
  });

  it('should refresh keys past their age, and verify new tokens with the last good ones while the provider is down', async () => {
    expect((await configWith(api, `Bearer ${await idp.craft({ sub: 'first' })}`)).status).toBe(200);
    const fetched = idp.jwksFetches();
    await sleep(1_500);
    expect((await configWith(api, `Bearer ${await idp.craft({ sub: 'second' })}`)).status).toBe(200);
    // The age is in force: the keys were fetched again (in the background).
    expect(await until(() => idp.jwksFetches() > fetched, 3_000)).toBe(true);

    idp.stop();
    // Well past the keys' age and the cooldown, with every refetch failing.
    await sleep(2_500);
    for (const sub of ['during-outage', 'still-during-outage']) {
      const response = await configWith(api, `Bearer ${await idp.craft({ sub })}`);
      expect(response.status).toBe(200);
      await sleep(1_100);
    }
    expect(api.output()).toMatch(/not refreshed .*still using the ones fetched at/);
  }, 60_000);
});

describe('the limit on failed authentication', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ AUTH_FAILURE_RATE_LIMIT: '3' });
  }, 60_000);
  afterAll(() => api?.stop());

  it('should refuse a client over its failures with 429 before checking its token, never counting successes', async () => {
    for (let i = 0; i < 5; i++) expect((await configWith(api, `Bearer ${serviceToken()}`)).status).toBe(200);
    expect((await configWith(api)).status).toBe(401);
    expect((await configWith(api, 'Bearer not-a-token')).status).toBe(401);
    expect((await configWith(api, 'Basic YTpi')).status).toBe(401);

    const refused = await configWith(api, 'Bearer not-a-token');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json().errors[0].code).toBe('rate.limited');
    // Over the limit nothing is checked, not even a good token.
    expect((await configWith(api, `Bearer ${serviceToken()}`)).status).toBe(429);
    expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
    expect((await send(api.baseUrl, '/api/health/ready')).status).toBe(200);
  });
});

describe('the settings of both, checked at boot', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a failure limit of zero',
      { AUTH_FAILURE_RATE_LIMIT: '0' },
      /^Invalid configuration: AUTH_FAILURE_RATE_LIMIT must not be less than 1/m,
    ],
    [
      'a key age in words',
      { OIDC_JWKS_MAX_AGE_SECONDS: 'soon' },
      /^Invalid configuration: OIDC_JWKS_MAX_AGE_SECONDS must be a whole number of seconds/m,
    ],
  ])('should refuse to start with %s, naming the variable', async (_case, env, message) => {
    const result = await runApiExpectingFailure(env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });
});
