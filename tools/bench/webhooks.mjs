// The webhook figures (issue 18), each from an API of its own on a fresh database, delivering to
// the fast receiver (fast-receiver.mjs) on loopback, allowed by WEBHOOK_ALLOWED_CIDRS:
// - what the outbox costs POST /api/uploads/:id/complete: completes/s with no endpoint
//   subscribed, with 3 subscribed but disabled (events and deliveries written, none sent) and
//   with 3 subscribed (also sent meanwhile), in alternating rounds. UPLOAD_SCAN=off: only then
//   does complete itself write `upload.available`; with scanning on it writes no event at all.
// - deliveries per second from a backlog (webhook-drain.mjs);
// - complete → `upload.available` at the receiver at a steady 100 uploads/s, with scanning on
//   (the scan worker writes the event: the path a deployment has) and off (complete writes it),
//   small files so that clamd can keep up.
import { randomFillSync } from 'node:crypto';
import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { apiClient } from './api-client.mjs';
import { startReceiver } from './receiver.mjs';
import { startApi, stopServer } from './servers.mjs';
import { dropDatabase, freshDatabase, withClient } from './services.mjs';
import { percentile, spread } from './stats.mjs';
import { gatewayClient } from './uploads.mjs';
import { AVAILABLE, drainRows } from './webhook-drain.mjs';

const PORT = 3220;
const TYPE = 'application/zip';
/** Small files: the figures are about events, and clamd must keep up with 100 a second. */
export const FILE_SIZE = 4096;
/** Completes in flight at once in the cost rounds: enough to keep the API's core busy. */
export const COMPLETE_CONNECTIONS = 16;
export const LATENCY_RATE = 100;

const epochMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work(i)` for i from 0 to count - 1, `lanes` at a time. */
async function inLanes(count, lanes, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/**
 * Runs `use(bench)` against an API started for it on a fresh database `name` with `extraEnv`.
 * `bench` sends files, completes them (the promoted objects are deleted afterwards), registers
 * endpoints with the receiver, and reads the database.
 */
async function withApi(env, receiver, name, extraEnv, use) {
  const own = await freshDatabase(env, name);
  const server = await startApi(
    {
      ...own,
      RATE_LIMIT_MAX: '1000000000',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
      ...extraEnv,
    },
    PORT,
  );
  const api = apiClient(`http://127.0.0.1:${PORT}`, env.BENCH_TOKEN);
  const s3 = gatewayClient(env);
  const bytes = randomFillSync(new Uint8Array(FILE_SIZE));
  let promoted = [];
  try {
    return await withClient(own.DATABASE_URL, async (db) => {
      const bench = {
        api,
        db,
        receiver,
        pid: server.pid,
        /** Creates and POSTs `count` files to the gateway, 8 at a time; the uploads, not completed. */
        async send(count) {
          const uploads = [];
          await inLanes(count, 8, async (i) => (uploads[i] = await api.sendPost(`w-${i}.zip`, TYPE, bytes)));
          return uploads;
        },
        /** POST /api/uploads/:id/complete, which must answer `expected`. */
        async complete(id, expected) {
          const record = await api.call('POST', `/api/uploads/${id}/complete`);
          if (record.status !== expected)
            throw new Error(`complete answered ${record.status}, not ${expected}`);
          promoted.push(record.key);
        },
        async sendAvailable() {
          const [upload] = await bench.send(1);
          await bench.complete(upload.id, 'available');
        },
        async register(path, eventTypes) {
          const created = await api.call('POST', '/api/webhooks/endpoints', {
            url: receiver.url(path),
            eventTypes,
            description: 'bench',
          });
          await receiver.key(path, created.secret);
          return created;
        },
        async deliveries(status) {
          const { rows } = await db.query(
            `SELECT count(*) AS n FROM webhook_deliveries WHERE $1::text IS NULL OR status = $1`,
            [status ?? null],
          );
          return Number(rows[0].n);
        },
        /** Deletes the objects completes promoted so far (the gateway is shared with the tests). */
        async removeObjects() {
          for (let i = 0; i < promoted.length; i += 1000) {
            const Objects = promoted.slice(i, i + 1000).map((Key) => ({ Key }));
            await s3.send(
              new DeleteObjectsCommand({ Bucket: env.S3_BUCKET, Delete: { Objects, Quiet: true } }),
            );
          }
          promoted = [];
        },
      };
      try {
        return await use(bench);
      } finally {
        await bench.removeObjects();
      }
    });
  } finally {
    s3.destroy();
    await stopServer(server);
    await dropDatabase(env, name);
  }
}

/** What the cost rounds alternate: the 3 endpoints' subscription, and deliveries written per complete. */
const SUBSCRIPTIONS = [
  { id: 'none', eventTypes: ['upload.deleted'], enabled: true, written: 0 },
  { id: 'disabled', eventTypes: [AVAILABLE], enabled: false, written: 3 },
  { id: 'three', eventTypes: [AVAILABLE], enabled: true, written: 3 },
];

/** Resolves once no delivery is pending: a run never pays for the previous run's sending. */
async function settled(bench) {
  const deadline = performance.now() + 5 * 60_000;
  while ((await bench.deliveries('pending')) > 0) {
    if (performance.now() > deadline) throw new Error('deliveries still pending after 5 minutes');
    await sleep(100);
  }
}

/** One timed run of `count` completes, `COMPLETE_CONNECTIONS` at a time, under `subscription`. */
async function completeRun(bench, endpoints, subscription, count) {
  await settled(bench);
  const { eventTypes, enabled } = subscription;
  for (const { id } of endpoints)
    await bench.api.call('PATCH', `/api/webhooks/endpoints/${id}`, { eventTypes, enabled });
  const uploads = await bench.send(count);
  const before = await bench.deliveries();
  const started = performance.now();
  await inLanes(count, COMPLETE_CONNECTIONS, (i) => bench.complete(uploads[i].id, 'available'));
  const seconds = (performance.now() - started) / 1000;
  const written = (await bench.deliveries()) - before;
  if (written !== count * subscription.written)
    throw new Error(`${subscription.id}: ${written} deliveries written for ${count} completes`);
  if (subscription.id === 'three') {
    if (!(await bench.receiver.waitFor(written, 5 * 60_000))) throw new Error('deliveries missing');
    await bench.receiver.take();
  }
  await bench.removeObjects();
  return count / seconds;
}

/** Completes/s under each subscription, in `rounds` rounds, each starting with a different one. */
async function costRows(bench, { rounds, count, say }) {
  const endpoints = [];
  for (let i = 0; i < 3; i++) endpoints.push(await bench.register(`/cost/${i}`, ['upload.deleted']));
  say(`webhooks: complete warm-up, ${Math.min(count, 200)} completes`);
  await completeRun(bench, endpoints, SUBSCRIPTIONS[2], Math.min(count, 200));
  const samples = Object.fromEntries(SUBSCRIPTIONS.map((s) => [s.id, []]));
  for (let round = 0; round < rounds; round++) {
    const order = SUBSCRIPTIONS.map((_, i) => SUBSCRIPTIONS[(i + round) % SUBSCRIPTIONS.length]);
    for (const subscription of order) {
      say(`webhooks: complete round ${round + 1} of ${rounds}, ${subscription.id}, ${count} completes`);
      samples[subscription.id].push(await completeRun(bench, endpoints, subscription, count));
    }
  }
  const ratio = (over) => spread(samples[over].map((rate, i) => rate / samples.none[i]));
  return {
    count,
    rounds,
    connections: COMPLETE_CONNECTIONS,
    samples,
    none: spread(samples.none),
    disabled: spread(samples.disabled),
    three: spread(samples.three),
    disabledVsNone: ratio('disabled'),
    threeVsNone: ratio('three'),
  };
}

/**
 * `seconds` of completes at `LATENCY_RATE` a second, sent on schedule whether or not earlier ones
 * have answered (as independent clients would), each timed from its send until its
 * `upload.available` is verified at the receiver.
 */
async function latencyRow(bench, { scan, seconds, say }) {
  const expected = scan === 'on' ? 'scanning' : 'available';
  await bench.register('/latency', [AVAILABLE]);
  // Warm-up, not counted: the first token checks, connections, scans and deliveries.
  for (const { id } of await bench.send(20)) await bench.complete(id, expected);
  await bench.receiver.waitFor(20, 60_000);
  await bench.receiver.take();
  const count = seconds * LATENCY_RATE;
  say(`webhooks: complete → delivery, UPLOAD_SCAN=${scan}, ${count} uploads at ${LATENCY_RATE}/s`);
  const uploads = await bench.send(count);
  const sent = new Map();
  const answers = [];
  const inFlight = [];
  const started = performance.now();
  for (const [i, { id }] of uploads.entries()) {
    const wait = started + (i * 1000) / LATENCY_RATE - performance.now();
    if (wait > 0) await sleep(wait);
    sent.set(id, epochMs());
    inFlight.push(bench.complete(id, expected).then(() => answers.push(epochMs() - sent.get(id))));
  }
  const sendSeconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  // Whatever has not come within 5 minutes counts as not arrived (the table says how many did).
  await bench.receiver.waitFor(count, 5 * 60_000);
  const { receipts } = await bench.receiver.take();
  const firstAt = new Map();
  for (const [, id, at] of receipts) if (!firstAt.has(id)) firstAt.set(id, at);
  const ms = [...firstAt].filter(([id]) => sent.has(id)).map(([id, at]) => at - sent.get(id));
  // The outbox's own share: from the event's commit (its transaction's now(), the same clock)
  // to its receipt, apart from the wait for the check, the scan and the promotion before it.
  const { rows } = await bench.db.query(
    `SELECT upload_id::text AS id, (extract(epoch FROM created_at) * 1000)::float8 AS at FROM webhook_events WHERE type = $1`,
    [AVAILABLE],
  );
  const outbox = rows.filter((r) => sent.has(r.id) && firstAt.has(r.id)).map((r) => firstAt.get(r.id) - r.at);
  return {
    scan,
    count,
    arrived: ms.length,
    sentPerSecond: (count - 1) / sendSeconds,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: Math.max(...ms),
    outboxP50: percentile(outbox, 50),
    outboxP99: percentile(outbox, 99),
    completeP50: percentile(answers, 50),
    completeP99: percentile(answers, 99),
  };
}

/** Every webhook figure; `env` is the bench's, each part gets a database of its own. */
export async function webhookRows(env, { quick, rounds, say }) {
  const receiver = await startReceiver();
  try {
    const scanOff = { UPLOAD_SCAN: 'off' };
    const cost = await withApi(env, receiver, 'bench_webhooks_cost', scanOff, (bench) =>
      costRows(bench, { rounds, count: quick ? 200 : 1000, say }),
    );
    const drain = await withApi(env, receiver, 'bench_webhooks_drain', scanOff, (bench) =>
      drainRows(bench, { rounds, backlog: quick ? 3000 : 20_000, say }),
    );
    const seconds = quick ? 3 : 10;
    const latency = [];
    for (const scan of ['on', 'off']) {
      latency.push(
        await withApi(env, receiver, `bench_webhooks_latency_${scan}`, { UPLOAD_SCAN: scan }, (bench) =>
          latencyRow(bench, { scan, seconds, say }),
        ),
      );
    }
    return { fileSize: FILE_SIZE, rate: LATENCY_RATE, seconds, cost, drain, latency };
  } finally {
    receiver.stop();
  }
}
