import { runApiExpectingFailure, startApi, type RunningApi } from './support/api-process';
import { send } from './support/http';

// The limit on failed authentication counts per client address: which address that is shows
// whether X-Forwarded-For was believed. The tests' requests all come from 127.0.0.1.
describe('client addresses behind a proxy', () => {
  let api: RunningApi | undefined;
  afterEach(() => api?.stop());

  const statusesFrom = async (forwardedFor: string[]) => {
    const statuses: number[] = [];
    for (const address of forwardedFor) {
      const response = await send((api as RunningApi).baseUrl, '/api/uploads/config', {
        headers: { 'x-forwarded-for': address },
      });
      statuses.push(response.status);
    }
    return statuses;
  };

  it('should count a client under its forwarded address when the request came through a trusted proxy', async () => {
    api = await startApi({ TRUSTED_PROXIES: '127.0.0.1', AUTH_FAILURE_RATE_LIMIT: '2' });
    expect(await statusesFrom(['203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.8'])).toEqual([
      401, 401, 429, 401,
    ]);
  });

  it('should take the last address the trusted proxy saw, never one the client wrote before it', async () => {
    api = await startApi({ TRUSTED_PROXIES: '127.0.0.1', AUTH_FAILURE_RATE_LIMIT: '2' });
    expect(
      await statusesFrom([
        '198.51.100.1, 203.0.113.7',
        '198.51.100.2, 203.0.113.7',
        '198.51.100.3, 203.0.113.7',
      ]),
    ).toEqual([401, 401, 429]);
  });

  it('should ignore X-Forwarded-For from a peer that is not one of the trusted proxies', async () => {
    api = await startApi({ TRUSTED_PROXIES: '10.0.0.0/8', AUTH_FAILURE_RATE_LIMIT: '2' });
    expect(await statusesFrom(['203.0.113.7', '203.0.113.8', '203.0.113.9'])).toEqual([401, 401, 429]);
  });
});

describe('the trusted proxies, checked at boot', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      'the old TRUST_PROXY',
      { TRUST_PROXY: 'true' },
      /^Invalid configuration: TRUST_PROXY is no longer read: set TRUSTED_PROXIES to the proxies' addresses \(e\.g\. 127\.0\.0\.1\) and remove TRUST_PROXY/m,
    ],
    [
      'a boolean in TRUSTED_PROXIES',
      { TRUSTED_PROXIES: 'true' },
      /^Invalid configuration: TRUSTED_PROXIES must be a comma-separated list of the proxies' addresses or CIDR ranges, such as 127\.0\.0\.1,10\.0\.0\.0\/8 \(got "true"\)/m,
    ],
    [
      'a range too wide for IPv4',
      { TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/33' },
      /^Invalid configuration: TRUSTED_PROXIES must be a comma-separated list/m,
    ],
  ])('should refuse to start with %s, naming the fix', async (_case, env, message) => {
    const result = await runApiExpectingFailure(env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });
});
