import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import {
  migrateToLatest,
  recordAttempts,
  type AttemptRecord,
  type Database,
} from '@dropgate/api/data-access-db';
import { dropDatabase, emptyDatabase } from './support/database';

// The delivery workers record the attempts that finish together in one statement: each delivery
// and its attempt, only while its lease is held, and each endpoint's health as its latest attempts
// leave it. Run against PostgreSQL, since the statement is where the logic is.

const HOLDER = 'this-instance';
const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second));

const ok = (deliveryId: string, second: number): AttemptRecord => ({
  deliveryId,
  result: {
    attempt: {
      at: at(second),
      duration_ms: 3,
      outcome: 'response',
      status_code: 204,
      error: null,
      response_body: '',
    },
    status: 'succeeded',
    succeeded: true,
  },
});
const failed = (deliveryId: string, second: number): AttemptRecord => ({
  deliveryId,
  result: {
    attempt: {
      at: at(second),
      duration_ms: 5,
      outcome: 'failed',
      status_code: null,
      error: 'connect ECONNREFUSED',
      response_body: null,
    },
    status: 'pending',
    nextAttemptAt: at(100),
    succeeded: false,
  },
});

describe('recording webhook attempts in one statement', () => {
  const NAME = 'webhook_attempt_records';
  let db: Kysely<Database>;

  beforeAll(async () => {
    const url = await emptyDatabase(NAME);
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: url }) }),
    });
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(NAME);
  });

  /** An endpoint with `count` deliveries leased by `holder`; their ids. */
  async function endpointWith(count: number, holder = HOLDER, health: { failures?: number } = {}) {
    const endpoint = randomUUID();
    await db
      .insertInto('webhook_endpoints')
      .values({
        id: endpoint,
        url: 'https://hooks.example.com/',
        event_types: ['upload.available'],
        secret_sealed: 'sealed',
        secret_hint: 'whsec_…',
        failures_in_row: health.failures ?? 0,
        failing_since: health.failures ? at(0) : null,
      })
      .execute();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const event = `msg_${randomUUID().replaceAll('-', '')}`;
      await db
        .insertInto('webhook_events')
        .values({ id: event, type: 'upload.available', body: '{}' })
        .execute();
      const id = randomUUID();
      await db
        .insertInto('webhook_deliveries')
        .values({
          id,
          event_id: event,
          endpoint_id: endpoint,
          status: 'pending',
          lease_owner: holder,
          lease_until: new Date(Date.now() + 60_000),
        })
        .execute();
      ids.push(id);
    }
    return { endpoint, ids };
  }

  const endpointRow = (id: string) =>
    db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const deliveryRow = (id: string) =>
    db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const attemptsOf = (id: string) =>
    db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).execute();

  it('should write every held delivery and its attempt, and none whose lease another instance took', async () => {
    const mine = await endpointWith(2);
    const theirs = await endpointWith(1, 'another-instance');
    const written = await recordAttempts(db, HOLDER, [
      ok(mine.ids[0], 1),
      failed(mine.ids[1], 2),
      ok(theirs.ids[0], 3),
    ]);
    expect([...written].sort()).toEqual([...mine.ids].sort());
    expect(await deliveryRow(mine.ids[0])).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      schedule_step: 1,
      lease_owner: null,
      completed_at: expect.any(Date),
    });
    expect(await deliveryRow(mine.ids[1])).toMatchObject({
      status: 'pending',
      attempts: 1,
      next_attempt_at: at(100),
      lease_owner: null,
      completed_at: null,
    });
    expect(await attemptsOf(mine.ids[1])).toEqual([
      expect.objectContaining({ outcome: 'failed', error: 'connect ECONNREFUSED', duration_ms: 5 }),
    ]);
    expect(await deliveryRow(theirs.ids[0])).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await attemptsOf(theirs.ids[0])).toEqual([]);
    expect(await endpointRow(theirs.endpoint)).toMatchObject({ last_success_at: null, failures_in_row: 0 });
  });

  it("should leave an endpoint's health as its latest attempts in the batch do", async () => {
    // Failed, succeeded, failed, failed: one success, then two failures in a row since.
    const after = await endpointWith(4, HOLDER, { failures: 7 });
    // Failed twice, then succeeded: healthy again.
    const recovered = await endpointWith(3, HOLDER, { failures: 7 });
    // Only failures: they add to the count, and the failing time stays the first one.
    const failing = await endpointWith(2, HOLDER, { failures: 7 });
    await recordAttempts(db, HOLDER, [
      failed(after.ids[0], 1),
      ok(after.ids[1], 2),
      failed(after.ids[2], 3),
      failed(after.ids[3], 4),
      failed(recovered.ids[0], 1),
      failed(recovered.ids[1], 2),
      ok(recovered.ids[2], 3),
      failed(failing.ids[0], 1),
      failed(failing.ids[1], 2),
    ]);
    expect(await endpointRow(after.endpoint)).toMatchObject({
      last_success_at: at(2),
      failures_in_row: 2,
      failing_since: expect.any(Date),
    });
    expect((await endpointRow(after.endpoint)).failing_since?.getTime()).not.toBe(at(0).getTime());
    expect(await endpointRow(recovered.endpoint)).toMatchObject({
      last_success_at: at(3),
      failures_in_row: 0,
      failing_since: null,
    });
    expect(await endpointRow(failing.endpoint)).toMatchObject({
      last_success_at: null,
      failures_in_row: 9,
      failing_since: at(0),
    });
  });

  it('should write nothing for an empty batch, and nothing twice when a batch is recorded again', async () => {
    expect(await recordAttempts(db, HOLDER, [])).toEqual(new Set());
    const { ids } = await endpointWith(1);
    expect(await recordAttempts(db, HOLDER, [ok(ids[0], 1)])).toEqual(new Set(ids));
    // The lease was given up with the first record: the second finds nothing of its own.
    expect(await recordAttempts(db, HOLDER, [ok(ids[0], 1)])).toEqual(new Set());
    expect(await attemptsOf(ids[0])).toHaveLength(1);
  });
});
