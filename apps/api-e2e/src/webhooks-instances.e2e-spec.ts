import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CreatedPostUpload, UploadRecord } from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase, withClient } from './support/database';
import { asPresignedPost, call, postForm } from './support/http';
import { deliveryWhen, register, sendTest, startReceiver, verify, type Receiver } from './support/receiver';

// Several instances on one database share its outbox: each change writes one event, each
// delivery is attempted by one instance at a time, and a delivery whose instance died mid-send is
// sent again, by another, once the lease (60 s) has run out. Uploads are not scanned here, so
// that complete makes them available at once.

const text = (fileName: string, size: number) => ({ fileName, contentType: 'text/plain', size });
const uploadOf = (r: { json?: { data?: Record<string, unknown> } }) => r.json?.data?.['id'];

/** Creates an upload and POSTs its file; the upload, ready to complete. */
async function posted(api: RunningApi, name: string): Promise<CreatedPostUpload> {
  const file = new Uint8Array(randomBytes(1500));
  const created = (
    await call(api.baseUrl, 'POST', '/api/uploads', text(name, file.length))
  ).json<CreatedPostUpload>();
  expect((await postForm(asPresignedPost(created), file)).status).toBe(201);
  return created;
}

/** True while the API answers at all. */
const alive = (api: RunningApi) =>
  fetch(`${api.baseUrl}/api/health/live`).then(
    () => true,
    () => false,
  );

const instanceSettings = (url: string) => ({
  DATABASE_URL: url,
  RATE_LIMIT_MAX: '100000',
  UPLOAD_SCAN: 'off',
  CLAMD_URL: '',
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
  WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
});

describe('two instances on one database', () => {
  const DB = 'webhooks_instances';
  let url: string;
  let apis: RunningApi[] = [];
  let hooks: Receiver[] = [];

  beforeAll(async () => {
    url = await emptyDatabase(DB);
    apis = await Promise.all([startApi(instanceSettings(url)), startApi(instanceSettings(url))]);
    // Slow enough that both instances have deliveries in hand at once.
    const slowly = () =>
      new Promise<{ status: number }>((resolve) => setTimeout(() => resolve({ status: 200 }), 30));
    hooks = await Promise.all([startReceiver(slowly), startReceiver(slowly)]);
  });
  afterAll(async () => {
    await Promise.all([...apis.map((api) => api.stop()), ...hooks.map((hook) => hook.close())]);
    await dropDatabase(DB);
  });

  it('should attempt each delivery once: 30 uploads to two endpoints, one request per webhook-id, one attempt per delivery', async () => {
    const endpoints = await Promise.all(
      hooks.map((hook) => register(apis[0].baseUrl, hook.url, ['upload.available'])),
    );
    const ids = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const api = apis[i % 2];
        const created = await posted(api, `many-${i}.txt`);
        const completed = await call(api.baseUrl, 'POST', `/api/uploads/${created.id}/complete`);
        expect(completed.json<UploadRecord>().status).toBe('available');
        return created.id;
      }),
    );
    for (const hook of hooks) {
      await hook.waitFor('30 events', (all) => new Set(all.map(uploadOf)).size >= 30, 30_000);
    }
    const counts = await withClient(url, async (c) => {
      await waitUntil(async () => {
        const { rows } = await c.query(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'succeeded'`,
        );
        return rows[0].n === 0;
      });
      const { rows } = await c.query<{ attempts: number; logged: number }>(
        `SELECT d.attempts, (SELECT count(*)::int FROM webhook_attempts a WHERE a.delivery_id = d.id) AS logged
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
         WHERE e.type = 'upload.available'`,
      );
      return rows;
    });
    expect(counts).toHaveLength(60);
    expect(counts.every((row) => row.attempts === 1 && row.logged === 1)).toBe(true);
    for (const [i, hook] of hooks.entries()) {
      const perId = new Map<string, number>();
      for (const request of hook.received) {
        const id = request.headers['webhook-id'];
        perId.set(id, (perId.get(id) ?? 0) + 1);
        expect(verify(endpoints[i].secret, request)).toBeTruthy();
      }
      expect(perId.size).toBe(30);
      expect([...perId.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(hook.received.map(uploadOf))).toEqual(new Set(ids));
    }
    // Both endpoints got the same event for each upload.
    const eventOf = (hook: Receiver, id: string) =>
      hook.received.find((r) => uploadOf(r) === id)?.headers['webhook-id'];
    for (const id of ids) expect(eventOf(hooks[0], id)).toBe(eventOf(hooks[1], id));
    await Promise.all(
      endpoints.map((e) => call(apis[0].baseUrl, 'DELETE', `/api/webhooks/endpoints/${e.id}`)),
    );
  }, 90_000);

  it('should write one event when both instances complete, or delete, the same upload at once', async () => {
    const hook = hooks[0];
    const before = hook.received.length;
    const endpoint = await register(apis[0].baseUrl, hook.url, ['upload.available', 'upload.deleted']);
    const ids = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const created = await posted(apis[i % 2], `raced-${i}.txt`);
        const completes = await Promise.all(
          apis.map((api) => call(api.baseUrl, 'POST', `/api/uploads/${created.id}/complete`)),
        );
        for (const answer of completes) expect([200, 409]).toContain(answer.status);
        expect(completes.some((answer) => answer.status === 200)).toBe(true);
        const deletes = await Promise.all(
          apis.map((api) => call(api.baseUrl, 'DELETE', `/api/uploads/${created.id}`)),
        );
        for (const answer of deletes) expect([204, 404, 409]).toContain(answer.status);
        expect(deletes.some((answer) => answer.status === 204)).toBe(true);
        return created.id;
      }),
    );
    const events = await withClient(url, async (c) => {
      const { rows } = await c.query<{ upload_id: string; type: string; n: number }>(
        `SELECT upload_id, type, count(*)::int AS n FROM webhook_events WHERE upload_id = ANY($1::uuid[])
         GROUP BY upload_id, type`,
        [ids],
      );
      return rows;
    });
    expect(events).toHaveLength(20);
    expect(events.every((row) => row.n === 1)).toBe(true);

    await hook.waitFor('both events of each upload', (all) => all.slice(before).length >= 20, 30_000);
    await waitUntil(async () =>
      withClient(url, async (c) => {
        const { rows } = await c.query(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status <> 'succeeded'`,
          [endpoint.id],
        );
        return rows[0].n === 0;
      }),
    );
    const got = hook.received.slice(before);
    expect(got).toHaveLength(20);
    for (const id of ids) {
      expect(got.filter((r) => uploadOf(r) === id).map((r) => r.json?.type)).toEqual([
        'upload.available',
        'upload.deleted',
      ]);
    }
    await call(apis[0].baseUrl, 'DELETE', `/api/webhooks/endpoints/${endpoint.id}`);
  }, 60_000);
});

describe('an instance killed mid-send', () => {
  const DB = 'webhooks_killed';
  const LEASE_MS = 60_000;
  let url: string;
  let apis: RunningApi[] = [];
  let hook: Receiver;

  beforeAll(async () => {
    url = await emptyDatabase(DB);
    apis = await Promise.all([startApi(instanceSettings(url)), startApi(instanceSettings(url))]);
    // Holds the first request open; answers the next.
    hook = await startReceiver((_request, all) => (all.length === 1 ? 'hang' : { status: 200 }));
  });
  afterAll(async () => {
    for (const api of apis) if (await alive(api)) await api.stop();
    await hook.close();
    await dropDatabase(DB);
  });

  it('should have the other instance send the delivery again after the lease, with the same webhook-id and body', async () => {
    const endpoint = await register(apis[0].baseUrl, hook.url, ['webhook.test']);
    const { deliveryId, eventId } = await sendTest(apis[0].baseUrl, endpoint.id);
    await hook.waitFor('the first request', (all) => all.length === 1);

    // The instance holding the lease is the one sending: its pid is in the lease's holder.
    const lease = await withClient(url, async (c) => {
      const { rows } = await c.query<{ lease_owner: string; lease_until: Date }>(
        `SELECT lease_owner, lease_until FROM webhook_deliveries WHERE id = $1`,
        [deliveryId],
      );
      return rows[0];
    });
    const pid = Number(lease.lease_owner.split('/')[1]);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('dist/apps/api/main.js');
    process.kill(pid, 'SIGKILL');
    await waitUntil(async () => (await Promise.all(apis.map(alive))).filter(Boolean).length === 1);

    await hook.waitFor('the delivery sent again', (all) => all.length === 2, LEASE_MS + 30_000);
    const [first, again] = hook.withId(eventId);
    expect(again).toBeDefined();
    expect(again.raw.equals(first.raw)).toBe(true);
    expect(verify(endpoint.secret, again)).toMatchObject({ type: 'webhook.test' });
    // Not before the dead instance's lease ran out.
    expect(again.at).toBeGreaterThanOrEqual(new Date(lease.lease_until).getTime() - 1_000);
    const survivor = apis[(await alive(apis[0])) ? 0 : 1];
    const detail = await deliveryWhen(
      survivor.baseUrl,
      deliveryId,
      'succeeded',
      (d) => d.status === 'succeeded',
    );
    expect(detail.attemptLog[detail.attemptLog.length - 1]).toMatchObject({
      outcome: 'response',
      statusCode: 200,
    });
  }, 120_000);
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
