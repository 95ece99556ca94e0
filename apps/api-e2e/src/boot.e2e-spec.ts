import { Client } from 'pg';
import { MIGRATIONS } from '@dropgate/api/data-access-db';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { call, send } from './support/http';

/** The advisory lock Kysely's migrator takes on PostgreSQL, held here as a long migration would hold it. */
const MIGRATION_LOCK = '3853314791062309107';
const body = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };

async function readyWithin(api: RunningApi, timeoutMs: number): Promise<number> {
  let status = 0;
  for (const end = Date.now() + timeoutMs; Date.now() < end && status !== 200;) {
    status = (await send(api.baseUrl, '/api/health/ready')).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return status;
}

describe('two instances booting together against an empty database', () => {
  let apis: RunningApi[] = [];

  let url: string;
  beforeEach(async () => {
    url = await emptyDatabase('boot_check');
  });
  afterEach(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    apis = [];
  });
  afterAll(() => dropDatabase('boot_check'));

  it('should both come up ready, one migrating and the other finding it done', async () => {
    apis = await Promise.all([startApi({ DATABASE_URL: url }), startApi({ DATABASE_URL: url })]);
    for (const api of apis) {
      expect(await readyWithin(api, 5_000)).toBe(200);
      expect((await call(api.baseUrl, 'POST', '/api/uploads', body)).status).toBe(201);
    }
    const outputs = apis.map((api) => api.output());
    expect(
      outputs.filter((output) => output.includes(`applied ${Object.keys(MIGRATIONS).join(', ')}`)),
    ).toHaveLength(1);
    expect(outputs.filter((output) => /schema up to date/.test(output))).toHaveLength(1);
  }, 60_000);

  it('should wait out a migration longer than the statement timeout, answering 503 and never 500 meanwhile', async () => {
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      const started = Date.now();
      apis = await Promise.all([startApi({ DATABASE_URL: url }), startApi({ DATABASE_URL: url })]);
      for (const api of apis) {
        const early = await call(api.baseUrl, 'POST', '/api/uploads', body);
        expect(early.status).toBe(503);
        expect(early.headers.get('retry-after')).toBe('5');
        expect(early.json().errors[0].code).toBe('database.unavailable');
        const listed = await call(api.baseUrl, 'GET', '/api/uploads');
        expect(listed.status).toBe(503);
        const ready = await send(api.baseUrl, '/api/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.json().errors.map((e) => e.code)).toEqual(['database.unavailable']);
        expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
      }
      // Longer than DATABASE_STATEMENT_TIMEOUT_MS (5 s), which requests still run under.
      expect(Date.now() - started).toBeGreaterThan(6_000);

      await holder.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
      for (const api of apis) {
        expect(await readyWithin(api, 15_000)).toBe(200);
        expect((await call(api.baseUrl, 'POST', '/api/uploads', body)).status).toBe(201);
      }
      const outputs = apis.map((api) => api.output());
      expect(outputs.join('\n')).not.toMatch(/migrations not applied|statement timeout/);
      expect(
        outputs.filter((output) => output.includes(`applied ${Object.keys(MIGRATIONS).join(', ')}`)),
      ).toHaveLength(1);
      expect(outputs.filter((output) => /schema up to date/.test(output))).toHaveLength(1);
    } finally {
      await holder.end();
    }
  }, 90_000);
});
