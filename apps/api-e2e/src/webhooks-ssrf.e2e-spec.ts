import type { WebhookEndpointPage } from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { call } from './support/http';
import {
  deliveryDetail,
  deliveryWhen,
  register,
  sendTest,
  startReceiver,
  type Receiver,
} from './support/receiver';

// Where webhooks may go, and what a target can do to the sender: refused addresses in every
// spelling, names that resolve to a refused address at send time, redirects, hanging and huge
// replies. Each API has a database of its own, so that no other spec's API delivers its events.

const NOT_ALLOWED = ['url:webhook.url_not_allowed'];

const problemOf = (answer: { status: number; json(): { errors: { field: string; code: string }[] } }) => [
  answer.status,
  answer.json().errors.map((e) => `${e.field}:${e.code}`),
];

describe('webhook targets without an allowance', () => {
  const DB = 'webhooks_ssrf';
  let api: RunningApi;

  beforeAll(async () => {
    const url = await emptyDatabase(DB);
    api = await startApi({
      DATABASE_URL: url,
      RATE_LIMIT_MAX: '100000',
      WEBHOOK_ALLOWED_CIDRS: '',
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
    });
  });
  afterAll(async () => {
    await api?.stop();
    await dropDatabase(DB);
  });

  it.each([
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['loopback', 'https://127.0.0.1/hooks'],
    ['loopback in hex', 'https://0x7f000001/hooks'],
    ['loopback as one number', 'https://2130706433/hooks'],
    ['loopback shortened', 'https://127.1/hooks'],
    ['loopback in octal', 'https://0177.0.0.1/hooks'],
    ['loopback mapped into IPv6', 'https://[::ffff:127.0.0.1]/hooks'],
    ['IPv6 loopback', 'https://[::1]/hooks'],
    ['the unspecified address', 'https://0.0.0.0/hooks'],
    ['a private address', 'https://10.0.0.1/hooks'],
    ['a shared (CGNAT) address', 'https://100.64.0.1/hooks'],
    ['a unique-local IPv6 address', 'https://[fd00::1]/hooks'],
    ['a link-local IPv6 address', 'https://[fe80::1]/hooks'],
  ])('should refuse %s (%s): 400 webhook.url_not_allowed', async (_case, url) => {
    const answer = await call(api.baseUrl, 'POST', '/api/webhooks/endpoints', {
      url,
      eventTypes: ['upload.available'],
    });
    expect(problemOf(answer)).toEqual([400, NOT_ALLOWED]);
    expect(answer.json().errors[0].message).toMatch(/not a public address/);
  });

  it.each([
    ['user info over http', 'http://user:pass@hooks.example.com/'],
    ['user info over https', 'https://user:pass@hooks.example.com/'],
    ['a user name alone', 'https://user@hooks.example.com/'],
    ['file:', 'file:///etc/passwd'],
    ['gopher:', 'gopher://hooks.example.com:70/_stats'],
    ['ftp:', 'ftp://hooks.example.com/'],
    ['plain http to a name', 'http://hooks.example.com/'],
    ['plain http to a public address', 'http://93.184.215.14/'],
    ['something that is no URL', 'hooks.example.com/dropgate'],
  ])('should refuse %s (%s): 400 webhook.url_not_allowed', async (_case, url) => {
    const answer = await call(api.baseUrl, 'POST', '/api/webhooks/endpoints', {
      url,
      eventTypes: ['upload.available'],
    });
    expect(problemOf(answer)).toEqual([400, NOT_ALLOWED]);
  });

  it('should have stored none of the refused targets, and accept https to a public address or a name', async () => {
    const listed = (await call(api.baseUrl, 'GET', '/api/webhooks/endpoints')).json<WebhookEndpointPage>();
    expect(listed.items).toEqual([]);
    for (const url of [
      'https://93.184.215.14/hooks',
      'https://[2606:4700::1111]/hooks',
      'https://hooks.example.com/',
    ]) {
      const endpoint = await register(api.baseUrl, url, ['upload.available']);
      expect((await call(api.baseUrl, 'DELETE', `/api/webhooks/endpoints/${endpoint.id}`)).status).toBe(204);
    }
  });

  describe('a name that resolves to loopback at send time', () => {
    let hook: Receiver;

    beforeAll(async () => {
      // On every loopback address, to see any connection at all.
      hook = await startReceiver(undefined, '::');
    });
    afterAll(() => hook.close());

    it('should log the attempt blocked, and never connect', async () => {
      const url = `https://localhost:${hook.port}/hooks`;
      // Registration takes names as they are; their addresses are checked when resolved.
      const { id } = await register(api.baseUrl, url, ['webhook.test']);
      const { deliveryId } = await sendTest(api.baseUrl, id);
      const detail = await deliveryWhen(api.baseUrl, deliveryId, 'tried twice', (d) => d.attempts >= 2);
      for (const attempt of detail.attemptLog) {
        expect(attempt).toMatchObject({
          outcome: 'blocked',
          error: expect.stringMatching(/localhost.*127\.0\.0\.1|loopback/),
        });
        expect(attempt.statusCode).toBeUndefined();
      }
      expect(detail.status).not.toBe('succeeded');
      expect(hook.connections()).toBe(0);
      expect(hook.received).toEqual([]);
    });
  });
});

describe('webhook targets on an allowed network', () => {
  const DB = 'webhooks_transport';
  const ATTEMPT_TIMEOUT_MS = 2_000;
  let api: RunningApi;
  let cleanup: Array<() => Promise<unknown>> = [];

  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const started = await startReceiver(...args);
    cleanup.push(() => started.close());
    return started;
  }

  async function endpoint(url: string) {
    const created = await register(api.baseUrl, url, ['webhook.test']);
    cleanup.push(() => call(api.baseUrl, 'DELETE', `/api/webhooks/endpoints/${created.id}`));
    return created;
  }

  beforeAll(async () => {
    const url = await emptyDatabase(DB);
    api = await startApi({
      DATABASE_URL: url,
      RATE_LIMIT_MAX: '100000',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
      WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
      WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    });
  });
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });
  afterAll(async () => {
    await api?.stop();
    await dropDatabase(DB);
  });

  it('should still refuse user info, and addresses outside the allowed networks', async () => {
    for (const url of [
      'http://user:pass@127.0.0.1:8080/',
      'http://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/',
    ]) {
      const answer = await call(api.baseUrl, 'POST', '/api/webhooks/endpoints', {
        url,
        eventTypes: ['webhook.test'],
      });
      expect([url, ...problemOf(answer)]).toEqual([url, 400, NOT_ALLOWED]);
    }
  });

  it('should take a 302 to the metadata service as a failure, and never follow a redirect', async () => {
    const elsewhere = await receiver();
    const hook = await receiver((request) => ({
      status: 302,
      headers: {
        location:
          request.path === '/to-metadata'
            ? 'http://169.254.169.254/latest/meta-data/'
            : `${elsewhere.url}followed`,
      },
      body: 'moved',
    }));
    const deliveries = [];
    for (const path of ['to-metadata', 'to-loopback']) {
      const { id } = await endpoint(`${hook.url}${path}`);
      deliveries.push(await sendTest(api.baseUrl, id));
    }
    for (const { deliveryId } of deliveries) {
      const detail = await deliveryWhen(api.baseUrl, deliveryId, 'tried twice', (d) => d.attempts >= 2);
      expect(detail.status).not.toBe('succeeded');
      for (const attempt of detail.attemptLog) {
        expect(attempt).toMatchObject({ outcome: 'response', statusCode: 302, responseBody: 'moved' });
      }
    }
    expect(elsewhere.connections()).toBe(0);
    expect(hook.received.every((r) => r.method === 'POST' && r.path.startsWith('/to-'))).toBe(true);
  });

  it("should cut a hanging target at the attempt timeout while another endpoint's deliveries keep flowing", async () => {
    const hanging = await receiver(() => 'hang');
    const fast = await receiver();
    const stuck = await endpoint(hanging.url);
    const live = await endpoint(fast.url);
    const { deliveryId } = await sendTest(api.baseUrl, stuck.id);
    await hanging.waitFor('the hanging request', (all) => all.length === 1);

    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await sendTest(api.baseUrl, live.id));
    await fast.waitFor('three deliveries', (all) => all.length === 3, 10_000);
    // They arrived while the hanging request was still open (times in ms after it arrived).
    const [hung] = hanging.received;
    const cut = hung.cutAt ?? Infinity;
    const seen = fast.received.map((r) => ({ arrivedAfterMs: r.at - hung.at, cutAfterMs: cut - hung.at }));
    expect(seen.filter((r) => r.arrivedAfterMs >= r.cutAfterMs)).toEqual([]);
    for (const { deliveryId: id } of sent) {
      await deliveryWhen(api.baseUrl, id, 'succeeded', (d) => d.status === 'succeeded');
    }

    const timedOut = await deliveryWhen(api.baseUrl, deliveryId, 'tried', (d) => d.attempts >= 1);
    expect(timedOut.attemptLog[0]).toMatchObject({ outcome: 'failed', error: 'timeout' });
    expect(timedOut.attemptLog[0].durationMs).toBeGreaterThanOrEqual(ATTEMPT_TIMEOUT_MS - 50);
    // Cut at this deployment's timeout, not the default 15 s.
    expect(timedOut.attemptLog[0].durationMs).toBeLessThan(15_000);
    await hanging.waitFor('the connection closed', (all) => all[0].cutAt !== undefined, 5_000);
    expect(timedOut.status).toBe('pending');
  }, 30_000);

  it('should keep the first KiB of a 10 MB response, and cut a dripping one at the attempt timeout', async () => {
    const pattern = Buffer.from('0123456789abcdef'.repeat(64 * 1024 * 10));
    const huge = await receiver(() => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: pattern,
    }));
    let drip: NodeJS.Timeout | undefined;
    const dripping = await receiver(() => (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('d');
      drip = setInterval(() => response.write('d'), 100);
      response.on('close', () => clearInterval(drip));
    });
    cleanup.push(async () => clearInterval(drip));
    const [bigId, dripId] = [(await endpoint(huge.url)).id, (await endpoint(dripping.url)).id];
    const [big, slow] = [await sendTest(api.baseUrl, bigId), await sendTest(api.baseUrl, dripId)];

    const cutBig = await deliveryWhen(api.baseUrl, big.deliveryId, 'tried', (d) => d.attempts >= 1);
    expect(pattern.byteLength).toBe(10 * 1024 * 1024);
    expect(cutBig.attemptLog[0]).toMatchObject({ outcome: 'response', statusCode: 200 });
    expect(cutBig.attemptLog[0].responseBody).toBe(pattern.subarray(0, 1024).toString());
    expect(cutBig.status).toBe('succeeded');
    await huge.waitFor('the reply cut', (all) => all[0].cutAt !== undefined, 5_000);

    const cutSlow = await deliveryWhen(api.baseUrl, slow.deliveryId, 'tried', (d) => d.attempts >= 1);
    expect(cutSlow.attemptLog[0]).toMatchObject({ outcome: 'response', statusCode: 200 });
    expect(cutSlow.attemptLog[0].responseBody).toMatch(/^d+$/);
    expect(cutSlow.attemptLog[0].durationMs).toBeLessThan(15_000);
    await dripping.waitFor('the drip cut', (all) => all[0].cutAt !== undefined, 5_000);
    expect((await deliveryDetail(api.baseUrl, slow.deliveryId)).status).toBe('succeeded');
  }, 30_000);
});
