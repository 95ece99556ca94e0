import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import {
  IdempotencyKeysRepository,
  migrateToLatest,
  type Database,
  type MigrationsService,
} from '@dropgate/api/data-access-db';
import { dropDatabase, emptyDatabase } from './support/database';

// A complete holds its Idempotency-Key under a lease while its storage work runs. The lease is
// renewed while the work goes on, so a retry of a slow complete is told it is in flight rather
// than running it a second time; the key of a request whose instance died is let go when its
// lease runs out. Timed in seconds here (a minute in production), against PostgreSQL.

const request = (key: string) => ({
  owner: { issuer: 'https://idp.example', subject: 'alice' },
  key,
  fingerprint: 'POST /api/uploads/1/complete',
});
const kept = (body: string) => ({ status: 200, body });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a leased idempotency key', () => {
  const NAME = 'idempotency_lease';
  let db: Kysely<Database>;
  let sut: IdempotencyKeysRepository;

  beforeAll(async () => {
    const url = await emptyDatabase(NAME);
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: url }) }),
    });
    await migrateToLatest(db);
    sut = new IdempotencyKeysRepository(db, { ready: true } as MigrationsService);
    Object.assign(sut.lease, { ms: 1_000, renewEveryMs: 300 });
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(NAME);
  });

  it('should stay in flight for as long as the work runs, past its lease, and replay once it is done', async () => {
    let runs = 0;
    const slow = () => sleep(3_000).then(() => `run ${++runs}`);
    const first = sut.leased(request('slow'), slow, kept);
    await sleep(2_000);
    // Twice the lease has passed: without renewals the retry would run the work again.
    expect(await sut.leased(request('slow'), slow, kept)).toEqual({ kind: 'in_flight' });
    expect(await first).toEqual({ kind: 'fresh', result: 'run 1' });
    expect(await sut.leased(request('slow'), slow, kept)).toEqual({
      kind: 'replay',
      response: { status: 200, body: 'run 1' },
    });
    expect(runs).toBe(1);
  });

  it('should let a retry run afresh once an abandoned lease has run out', async () => {
    // A request whose instance died: its key is in flight, and nobody renews it.
    await db
      .insertInto('idempotency_keys')
      .values({
        owner_issuer: 'https://idp.example',
        owner_subject: 'alice',
        key: 'abandoned',
        fingerprint: request('abandoned').fingerprint,
        state: 'in_flight',
        lease_until: new Date(Date.now() + 1_000),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute();
    const quick = async () => 'ran again';
    expect(await sut.leased(request('abandoned'), quick, kept)).toEqual({ kind: 'in_flight' });
    await sleep(1_200);
    expect(await sut.leased(request('abandoned'), quick, kept)).toEqual({
      kind: 'fresh',
      result: 'ran again',
    });
  });
});
