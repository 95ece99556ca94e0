// Deliveries per second: a backlog of `upload.available` deliveries drained by the API's delivery
// worker into the fast receiver. The backlog is inserted straight into the database, in one
// statement, because 20,000 real completes would take minutes to set up; the rows are what the
// outbox writes: copies of an event a real complete wrote (new event and upload ids, the same
// body otherwise), and the deliveries written by the outbox's own INSERT (`queueDeliveries`),
// then the same NOTIFY; each event dated as its own complete would date it. Also the CPU the API
// and PostgreSQL spent per delivery, from /proc: which of the two is the limit, when the rate
// misses its goal.
import { randomBytes, randomUUID } from 'node:crypto';
import { processes } from './cpu.mjs';
import { spread } from './stats.mjs';

export const AVAILABLE = 'upload.available';
const epochMs = () => performance.timeOrigin + performance.now();

/** A `webhook-id` as `newEventId` makes one: `msg_` and a UUIDv7 in hex, time-ordered. */
function eventId() {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  return `msg_${bytes.toString('hex')}`;
}

/** CPU seconds used so far by the API, the receiver, and PostgreSQL (`postmaster` and its children). */
function cpuSeconds(api, receiver, postmaster) {
  const all = processes();
  let postgres = 0;
  for (const [pid, { ppid, seconds }] of all)
    if (pid === postmaster || ppid === postmaster) postgres += seconds;
  const of = (pid) => all.get(pid)?.seconds ?? 0;
  return { api: of(api), receiver: of(receiver), postgres };
}

/**
 * The outbox's INSERTs (`queueDeliveries`) for `count` copies of `template`'s event, and its
 * NOTIFY. Each complete writes its event in a transaction of its own, so each has its own
 * `now()`: the copies are dated 1 ms apart, ending now, as if written by 1,000 completes a
 * second. One date for all would not be what completes write, and the claim would then sort the
 * whole backlog on every call (see the report).
 */
async function insertBacklog(db, template, count) {
  const ids = [];
  const uploads = [];
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const upload = randomUUID();
    ids.push(eventId());
    uploads.push(upload);
    // The upload's id is in the body (data.id) and in its key: both become the copy's.
    bodies.push(template.body.replaceAll(template.upload_id, upload));
  }
  const { rows } = await db.query(
    `WITH event AS (
        INSERT INTO webhook_events (id, type, upload_id, body, created_at)
        SELECT id, $1, upload_id, body, now() - ($5::int - n) * interval '1 ms'
        FROM unnest($2::text[], $3::uuid[], $4::text[]) WITH ORDINALITY AS t(id, upload_id, body, n)
        RETURNING id, upload_id, created_at),
      queued AS (
        INSERT INTO webhook_deliveries (id, event_id, endpoint_id, upload_id, status, next_attempt_at, created_at)
        SELECT gen_random_uuid(), event.id, endpoint.id, event.upload_id,
          CASE WHEN endpoint.enabled THEN 'pending' ELSE 'skipped' END, event.created_at, event.created_at
        FROM event, webhook_endpoints endpoint
        WHERE $1 = ANY (endpoint.event_types)
        ORDER BY event.created_at
        RETURNING id),
      woken AS (SELECT pg_notify('webhook_deliveries', '') FROM (SELECT 1 FROM queued LIMIT 1) one)
    SELECT (SELECT count(*) FROM queued) AS queued, (SELECT count(*) FROM woken) AS notified`,
    [AVAILABLE, ids, uploads, bodies, count],
  );
  if (Number(rows[0].queued) !== count) throw new Error(`queued ${rows[0].queued} deliveries, not ${count}`);
}

/** One drain: the backlog committed, then timed until the receiver has verified every delivery. */
async function drain({ db, receiver, pid }, template, count, postmaster) {
  const before = cpuSeconds(pid, receiver.pid, postmaster);
  await insertBacklog(db, template, count);
  const committed = epochMs();
  if (!(await receiver.waitFor(count, 15 * 60_000)))
    throw new Error(`the receiver got fewer than ${count} deliveries within 15 minutes`);
  const until = epochMs();
  const after = cpuSeconds(pid, receiver.pid, postmaster);
  const { receipts } = await receiver.take();
  if (new Set(receipts.map((r) => r[1])).size !== count)
    throw new Error(`${receipts.length} deliveries for ${count} events: some came twice`);
  const times = receipts.map((r) => r[2]).sort((a, b) => a - b);
  const at = (fraction) => times[Math.floor(fraction * (count - 1))];
  const seconds = (until - committed) / 1000;
  return {
    rate: count / ((times.at(-1) - committed) / 1000),
    // Between the 10th and 90th percentile receipts: the rate once the worker is under way.
    steady: (0.8 * (count - 1)) / ((at(0.9) - at(0.1)) / 1000),
    firstMs: times[0] - committed,
    apiCore: (after.api - before.api) / seconds,
    postgresCores: (after.postgres - before.postgres) / seconds,
    receiverCore: (after.receiver - before.receiver) / seconds,
    apiMsPer1000: ((after.api - before.api) * 1e6) / count,
    postgresMsPer1000: ((after.postgres - before.postgres) * 1e6) / count,
  };
}

/**
 * `rounds` drains of `backlog` deliveries to one endpoint, after a warm-up drain. `bench`: the
 * API (its pid), a database client, the receiver, `register` and `sendAvailable` (one real
 * upload made available through complete).
 */
export async function drainRows(bench, { rounds, backlog, say }) {
  await bench.register('/drain', [AVAILABLE]);
  await bench.sendAvailable();
  if (!(await bench.receiver.waitFor(1, 30_000))) throw new Error('the template event was never delivered');
  await bench.receiver.take();
  const { rows } = await bench.db.query('SELECT upload_id, body FROM webhook_events WHERE type = $1', [
    AVAILABLE,
  ]);
  const template = rows[0];
  const backend = (await bench.db.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const postmaster = processes().get(Number(backend))?.ppid;
  if (postmaster === undefined) throw new Error(`PostgreSQL's backend ${backend} is not in /proc`);
  say(`webhooks: drain warm-up, ${Math.min(backlog, 1000)} deliveries`);
  await drain(bench, template, Math.min(backlog, 1000), postmaster);
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    say(`webhooks: drain round ${round} of ${rounds}, ${backlog.toLocaleString('en-US')} deliveries`);
    runs.push(await drain(bench, template, backlog, postmaster));
  }
  const of = (key) => spread(runs.map((run) => run[key]));
  return {
    backlog,
    rounds,
    runs,
    rate: of('rate'),
    steady: of('steady'),
    firstMs: of('firstMs'),
    apiCore: of('apiCore'),
    postgresCores: of('postgresCores'),
    receiverCore: of('receiverCore'),
    apiMsPer1000: of('apiMsPer1000'),
    postgresMsPer1000: of('postgresMsPer1000'),
  };
}
