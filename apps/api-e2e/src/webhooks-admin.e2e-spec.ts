import type {
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointPage,
  WebhookEndpointWithSecret,
} from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { call, userToken, type RawResponse } from './support/http';
import {
  deliveryWhen,
  eachSignature,
  register,
  sendTest,
  startReceiver,
  verify,
  type Receiver,
} from './support/receiver';

// The webhooks admin API: who may use it, what it refuses, secrets shown once, and rotation with a
// grace period short enough to outlive here. A database of its own, so that no other spec's API
// delivers this one's events.

const DB = 'webhooks_admin';
const GRACE_SECONDS = 4;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

function expectProblem(response: RawResponse, status: number, codes: string[]) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.json().errors.map((e) => `${e.field}:${e.code}`)).toEqual(codes);
}

describe('the webhooks admin API', () => {
  let api: RunningApi;
  let hook: Receiver;
  const admin = (method: string, path: string, body?: unknown, token?: string) =>
    call(api.baseUrl, method, `/api/webhooks${path}`, body, token);

  beforeAll(async () => {
    const url = await emptyDatabase(DB);
    [api, hook] = await Promise.all([
      startApi({
        DATABASE_URL: url,
        RATE_LIMIT_MAX: '100000',
        WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
        WEBHOOK_SECRET_GRACE_SECONDS: String(GRACE_SECONDS),
        WEBHOOK_RETRY_SCHEDULE: '1s',
      }),
      startReceiver(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), hook?.close()]);
    await dropDatabase(DB);
  });

  it('should answer 403 to a token without webhooks:admin on every route, and change nothing', async () => {
    const endpoint = await register(api.baseUrl, hook.url, ['webhook.test']);
    const { deliveryId } = await sendTest(api.baseUrl, endpoint.id);
    await deliveryWhen(api.baseUrl, deliveryId, 'succeeded', (d) => d.status === 'succeeded');
    const before = (await admin('GET', '/endpoints')).json<WebhookEndpointPage>();
    const received = hook.received.length;

    const alice = userToken('alice');
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/endpoints', { url: hook.url, eventTypes: ['webhook.test'] }],
      ['GET', '/endpoints'],
      ['GET', `/endpoints/${endpoint.id}`],
      ['PATCH', `/endpoints/${endpoint.id}`, { enabled: false }],
      ['DELETE', `/endpoints/${endpoint.id}`],
      ['POST', `/endpoints/${endpoint.id}/rotate-secret`],
      ['POST', `/endpoints/${endpoint.id}/test`],
      ['GET', `/endpoints/${endpoint.id}/deliveries`],
      ['POST', `/endpoints/${endpoint.id}/recover`, { since: '2020-01-01T00:00:00Z' }],
      ['GET', `/deliveries/${deliveryId}`],
      ['POST', `/deliveries/${deliveryId}/retry`],
    ];
    for (const [method, path, body] of routes) {
      const answer = await admin(method, path, body, alice);
      expect([method, path, answer.status, answer.json().errors?.[0]?.code]).toEqual([
        method,
        path,
        403,
        'auth.insufficient_scope',
      ]);
    }
    expect((await admin('GET', '/endpoints')).json<WebhookEndpointPage>()).toEqual(before);
    expect((await admin('GET', '/endpoints', undefined, userToken('admin'))).status).toBe(200);
    // No test, retry or recover was queued.
    expect(hook.received).toHaveLength(received);
    expect(
      (await admin('GET', `/endpoints/${endpoint.id}/deliveries`)).json<WebhookDeliveryPage>().items,
    ).toEqual([expect.objectContaining({ id: deliveryId, status: 'succeeded', attempts: 1 })]);
    expect((await admin('DELETE', `/endpoints/${endpoint.id}`)).status).toBe(204);
  });

  it.each<[string, unknown, string[]]>([
    ['no url', { eventTypes: ['upload.available'] }, ['url:url.required']],
    ['a url that is not a string', { url: 7, eventTypes: ['upload.available'] }, ['url:url.invalid']],
    ['no event types', { url: 'https://hooks.example.com/' }, ['eventTypes:eventTypes.invalid']],
    [
      'empty event types',
      { url: 'https://hooks.example.com/', eventTypes: [] },
      ['eventTypes:eventTypes.invalid'],
    ],
    [
      'an unknown event type',
      { url: 'https://hooks.example.com/', eventTypes: ['upload.available', 'upload.renamed'] },
      ['eventTypes:eventTypes.invalid'],
    ],
    [
      'event types that are not a list',
      { url: 'https://hooks.example.com/', eventTypes: 'upload.available' },
      ['eventTypes:eventTypes.invalid'],
    ],
    [
      'a secret of its own',
      { url: 'https://hooks.example.com/', eventTypes: ['upload.available'], secret: 'whsec_bWluZQ==' },
      ['secret:field.unknown'],
    ],
    [
      'a description of 501 characters',
      { url: 'https://hooks.example.com/', eventTypes: ['upload.available'], description: 'd'.repeat(501) },
      ['description:description.invalid'],
    ],
    [
      'enabled as a string',
      { url: 'https://hooks.example.com/', eventTypes: ['upload.available'], enabled: 'yes' },
      ['enabled:enabled.invalid'],
    ],
  ])('should refuse a registration with %s: 400 with the stable code', async (_case, body, codes) => {
    expectProblem(await admin('POST', '/endpoints', body), 400, codes);
  });

  it('should refuse bad changes, queries and recover bodies, and answer 404 for unknown ids', async () => {
    const endpoint = await register(api.baseUrl, 'https://hooks.example.com/dropgate', ['upload.available']);
    const path = `/endpoints/${endpoint.id}`;
    expectProblem(await admin('PATCH', path, { eventTypes: [] }), 400, ['eventTypes:eventTypes.invalid']);
    expectProblem(await admin('PATCH', path, { owner: 'me' }), 400, ['owner:field.unknown']);
    // A changed URL is checked again.
    expectProblem(await admin('PATCH', path, { url: 'https://169.254.169.254/latest/meta-data/' }), 400, [
      'url:webhook.url_not_allowed',
    ]);
    expect((await admin('GET', path)).json<WebhookEndpoint>().url).toBe('https://hooks.example.com/dropgate');
    expectProblem(await admin('GET', `${path}/deliveries?status=lost`), 400, ['status:status.invalid']);
    expectProblem(await admin('GET', `${path}/deliveries?cursor=abc`), 400, ['cursor:cursor.invalid']);
    expectProblem(await admin('POST', `${path}/recover`, {}), 400, ['since:since.invalid']);
    expectProblem(await admin('POST', `${path}/recover`, { since: 'yesterday' }), 400, [
      'since:since.invalid',
    ]);

    for (const [method, unknown] of [
      ['GET', `/endpoints/${NO_SUCH_ID}`],
      ['GET', '/endpoints/not-an-id'],
      ['PATCH', `/endpoints/${NO_SUCH_ID}`],
      ['DELETE', `/endpoints/${NO_SUCH_ID}`],
      ['POST', `/endpoints/${NO_SUCH_ID}/rotate-secret`],
      ['POST', `/endpoints/${NO_SUCH_ID}/test`],
      ['GET', `/endpoints/${NO_SUCH_ID}/deliveries`],
    ]) {
      const answer = await admin(method, unknown, method === 'PATCH' ? { description: 'x' } : undefined);
      expect([method, unknown, answer.status, answer.json().errors?.[0]?.code]).toEqual([
        method,
        unknown,
        404,
        'webhook.not_found',
      ]);
    }
    expectProblem(await admin('GET', `/deliveries/${NO_SUCH_ID}`), 404, [':webhook.delivery_not_found']);
    expectProblem(await admin('POST', `/deliveries/${NO_SUCH_ID}/retry`), 404, [
      ':webhook.delivery_not_found',
    ]);
    expect((await admin('DELETE', path)).status).toBe(204);
    expectProblem(await admin('GET', path), 404, [':webhook.not_found']);
  });

  it('should take an empty change as no change', async () => {
    const endpoint = await register(api.baseUrl, 'https://hooks.example.com/same', ['upload.available']);
    const unchanged = await admin('PATCH', `/endpoints/${endpoint.id}`, {});
    expect([unchanged.status, unchanged.json<WebhookEndpoint>().url]).toEqual([
      200,
      'https://hooks.example.com/same',
    ]);
    expect((await admin('DELETE', `/endpoints/${endpoint.id}`)).status).toBe(204);
  });

  it('should show the secret once, at registration, and only a hint afterwards', async () => {
    const created = await admin('POST', '/endpoints', {
      url: 'https://hooks.example.com/once',
      eventTypes: ['upload.deleted', 'upload.deleted'],
      description: 'Archive',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const endpoint = created.json<WebhookEndpointWithSecret>();
    expect(endpoint).toMatchObject({
      url: 'https://hooks.example.com/once',
      eventTypes: ['upload.deleted'],
      description: 'Archive',
      enabled: true,
      health: { failuresInRow: 0 },
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(endpoint.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(endpoint.secretHint).toContain(endpoint.secret.slice(-4));
    const body = endpoint.secret.slice('whsec_'.length);
    for (const answer of [
      await admin('GET', `/endpoints/${endpoint.id}`),
      await admin('GET', '/endpoints'),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(body);
      expect(answer.text).not.toContain(body.slice(0, 16));
      expect(answer.text).toContain(endpoint.secretHint);
    }
    expect((await admin('DELETE', `/endpoints/${endpoint.id}`)).status).toBe(204);
  });

  it('should sign with both secrets during the grace period of a rotation, refuse a second rotation meanwhile, and sign with the new one alone after it', async () => {
    const { id, secret: oldSecret } = await register(api.baseUrl, hook.url, ['webhook.test']);
    const delivered = async () => {
      const { eventId } = await sendTest(api.baseUrl, id);
      await hook.waitFor('the test event', () => hook.withId(eventId).length === 1);
      return hook.withId(eventId)[0];
    };
    const before = await delivered();
    expect(eachSignature(before)).toHaveLength(1);
    expect(verify(oldSecret, before)).toBeTruthy();

    const rotated = await admin('POST', `/endpoints/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const {
      secret: newSecret,
      previousSecretExpiresAt,
      secretHint,
    } = rotated.json<WebhookEndpointWithSecret>();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(secretHint).toContain(newSecret.slice(-4));
    const graceEnds = Date.parse(previousSecretExpiresAt ?? '');
    expect(graceEnds).toBeGreaterThan(Date.now());

    const second = await admin('POST', `/endpoints/${id}/rotate-secret`);
    expectProblem(second, 409, [':webhook.rotation_in_progress']);
    expect(second.text).not.toContain('whsec_');

    const during = await delivered();
    // Signed while the grace period lasted (else the machine was too slow for this test).
    expect(Number(during.headers['webhook-timestamp']) * 1000).toBeLessThan(graceEnds);
    const signatures = eachSignature(during);
    expect(signatures).toHaveLength(2);
    const verifies = (secret: string) =>
      signatures.map((one) => {
        try {
          verify(secret, one);
          return true;
        } catch {
          return false;
        }
      });
    // Each secret verifies one of the two, in whichever order they come.
    const [byNew, byOld] = [verifies(newSecret), verifies(oldSecret)];
    expect([byNew.filter(Boolean).length, byOld.filter(Boolean).length]).toEqual([1, 1]);
    expect(byNew.indexOf(true)).not.toBe(byOld.indexOf(true));
    expect(verify(newSecret, during)).toBeTruthy();
    expect(verify(oldSecret, during)).toBeTruthy();

    // Once the grace period is over, the endpoint stops showing it.
    const deadline = Date.now() + (GRACE_SECONDS + 10) * 1000;
    for (;;) {
      const shown = (await admin('GET', `/endpoints/${id}`)).json<WebhookEndpoint>();
      if (shown.previousSecretExpiresAt === undefined) break;
      if (Date.now() > deadline) throw new Error(`grace period never ended: ${JSON.stringify(shown)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const after = await delivered();
    expect(eachSignature(after)).toHaveLength(1);
    expect(verify(newSecret, after)).toBeTruthy();
    expect(() => verify(oldSecret, after)).toThrow('No matching signature found');

    const third = await admin('POST', `/endpoints/${id}/rotate-secret`);
    expect(third.status).toBe(200);
    expect(third.json<WebhookEndpointWithSecret>().secret).not.toBe(newSecret);
    expect((await admin('DELETE', `/endpoints/${id}`)).status).toBe(204);
  }, 60_000);
});
