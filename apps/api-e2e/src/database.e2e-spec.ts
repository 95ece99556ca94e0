import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { MIGRATIONS } from '@dropgate/api/data-access-db';
import { runApiExpectingFailure, startApi } from './support/api-process';
import { dropDatabase, emptyDatabase, withClient } from './support/database';
import { ROOT, databaseEnv } from './support/gateway';
import { call, send } from './support/http';

interface Run {
  code: number;
  output: string;
}

/** `main.js migrate [down]` against a database of its own in the test cluster. */
function migrate(url: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist/apps/api/main.js'), 'migrate', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** Every migration, in order. */
const ALL = Object.keys(MIGRATIONS);
const TABLES = [
  'idempotency_keys',
  'settings',
  'uploads',
  'webhook_attempts',
  'webhook_deliveries',
  'webhook_endpoints',
  'webhook_events',
];

const tables = (url: string) =>
  withClient(url, async (c) =>
    (
      await c.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely%' ORDER BY 1",
      )
    ).rows.map((r) => r.table_name),
  );

describe('migrations', () => {
  let url: string;

  beforeAll(async () => {
    url = await emptyDatabase('migrations_check');
  });
  afterAll(() => dropDatabase('migrations_check'));

  it('should go up, report nothing left to do, go down to nothing, and up again', async () => {
    expect(await migrate(url)).toEqual({
      code: 0,
      output: `migrations applied: ${ALL.join(', ')}\n`,
    });
    expect(await tables(url)).toEqual(TABLES);
    expect(await migrate(url)).toEqual({ code: 0, output: 'schema up to date\n' });
    for (const name of [...ALL].reverse()) {
      expect(await migrate(url, 'down')).toEqual({ code: 0, output: `migration reverted: ${name}\n` });
    }
    expect(await tables(url)).toEqual([]);
    expect(await migrate(url)).toMatchObject({ code: 0 });
    expect(await tables(url)).toEqual(TABLES);
  }, 90_000);

  it('should let several instances migrate at once, one after the other under the lock', async () => {
    for (let i = 0; i < ALL.length; i++) await migrate(url, 'down');
    const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.map((r) => r.output).sort()).toEqual([
      `migrations applied: ${ALL.join(', ')}\n`,
      'schema up to date\n',
      'schema up to date\n',
    ]);
  });

  it('should make a cursor key of 64 hex characters, once', async () => {
    const keys = await withClient(url, async (c) => (await c.query('SELECT value FROM settings')).rows);
    expect(keys).toEqual([{ value: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('should refuse an unknown direction and name the right ones', async () => {
    expect(await migrate(url, 'sideways')).toEqual({
      code: 1,
      output: 'unknown migrate argument "sideways": use `migrate` or `migrate down`\n',
    });
  });

  it('should say when the database cannot be reached', async () => {
    const run = await migrate('postgres://dropgate:x@127.0.0.1:9/dropgate');
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /^The database in DATABASE_URL cannot be reached \(.*\): start it, or check the URL\n$/,
    );
  });
});

describe('an API whose database is down', () => {
  it('should start, report not ready with database.unavailable, and keep answering', async () => {
    const api = await startApi({ DATABASE_URL: 'postgres://dropgate:x@127.0.0.1:9/dropgate' });
    try {
      expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
      const ready = await send(api.baseUrl, '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json().errors[0]).toMatchObject({ code: 'database.unavailable' });
      expect(ready.json().detail).toBe('Not ready: database');
      expect(ready.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|migrat/);
    } finally {
      await api.stop();
    }
  });

  it('should name only the database in readiness when it refuses the user, and log why', async () => {
    const url = new URL(databaseEnv.DATABASE_URL);
    url.username = 'readiness_probe_user';
    const api = await startApi({ DATABASE_URL: url.href });
    try {
      const ready = await send(api.baseUrl, '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json().detail).toBe('Not ready: database');
      expect(ready.text).not.toContain('readiness_probe_user');
      expect(ready.text).not.toContain(url.hostname);
      // pino writes asynchronously but in order: once the request's own line is out, so is the probe's.
      for (let i = 0; i < 100 && !api.output().includes('"path":"/api/health/ready","status":503'); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(api.output()).toMatch(/not ready: database \(.*readiness_probe_user/);
    } finally {
      await api.stop();
    }
  });
});

describe('database configuration checked at boot', () => {
  it.each<[string, Record<string, string | undefined>, RegExp]>([
    [
      'no DATABASE_URL',
      { DATABASE_URL: undefined },
      /^Invalid configuration: DATABASE_URL is required: a PostgreSQL URL/m,
    ],
    [
      'a URL of another kind',
      { DATABASE_URL: 'mysql://a@b/c' },
      /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL/m,
    ],
    [
      'a pool of zero',
      { DATABASE_POOL_SIZE: '0' },
      /^Invalid configuration: DATABASE_POOL_SIZE must not be less than 1/m,
    ],
    [
      'a statement timeout in words',
      { DATABASE_STATEMENT_TIMEOUT_MS: 'long' },
      /^Invalid configuration: DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds/m,
    ],
    [
      'prepared statements neither on nor off',
      { DATABASE_PREPARED_STATEMENTS: 'sometimes' },
      /^Invalid configuration: DATABASE_PREPARED_STATEMENTS must be true or false \(false behind a pooler/m,
    ],
  ])('should refuse to start with %s, naming the variable', async (_case, env, message) => {
    const result = await runApiExpectingFailure(env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });
});

describe('the database stopped in the middle of a run', () => {
  const FLAGS = ['--dir', 'tmp/api-e2e-pg-outage', '--port', '7438', '--fsync', 'off'];
  const pg = (...args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['tools/local-pg/local-pg.mjs', ...args, ...FLAGS],
        { cwd: ROOT, timeout: 120_000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
  afterAll(() => pg('reset'));

  it('should answer 503 database.unavailable, sign nothing, stay up, and recover when it is back', async () => {
    await pg('start');
    const url = (await pg('env')).trim().replace(/^DATABASE_URL=/, '');
    const api = await startApi({ DATABASE_URL: url });
    const body = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };
    try {
      expect((await call(api.baseUrl, 'POST', '/api/uploads', body)).status).toBe(201);
      await pg('stop');
      const started = Date.now();
      const down = await call(api.baseUrl, 'POST', '/api/uploads', body);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.json().errors[0].code).toBe('database.unavailable');
      expect(down.text).not.toContain('X-Amz-Signature');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(
        (await call(api.baseUrl, 'GET', '/api/uploads/019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55')).status,
      ).toBe(503);
      const ready = await send(api.baseUrl, '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json().errors[0].code).toBe('database.unavailable');
      expect((await send(api.baseUrl, '/api/health')).status).toBe(200);

      await pg('start');
      expect((await call(api.baseUrl, 'POST', '/api/uploads', body)).status).toBe(201);
      // Readiness reuses a probe for a second, so the first call after the outage may still say 503.
      let readyAgain = 0;
      for (let i = 0; i < 12 && readyAgain !== 200; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
        readyAgain = (await send(api.baseUrl, '/api/health/ready')).status;
      }
      expect(readyAgain).toBe(200);
      expect(api.output()).not.toMatch(/Unhandled|uncaught/i);
    } finally {
      await api.stop();
    }
  }, 120_000);

  it('should stay up when the database restarts under load, with transactions in flight', async () => {
    await pg('start');
    const url = (await pg('env')).trim().replace(/^DATABASE_URL=/, '');
    // A quota makes every create a transaction (lock, sum, insert): connections checked out between
    // statements when the server goes away.
    const api = await startApi({
      DATABASE_URL: url,
      UPLOAD_QUOTA_BYTES: String(1024 ** 4),
      RATE_LIMIT_MAX: '1000000',
    });
    const body = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };
    let running = true;
    const statuses: number[] = [];
    const client = async () => {
      while (running) statuses.push((await call(api.baseUrl, 'POST', '/api/uploads', body)).status);
    };
    try {
      const clients = Array.from({ length: 20 }, client);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await pg('stop');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await pg('start');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      running = false;
      await Promise.all(clients);

      expect(statuses.filter((status) => status === 201).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
      expect((await call(api.baseUrl, 'POST', '/api/uploads', body)).status).toBe(201);
      expect(api.output()).not.toMatch(/Unhandled|uncaught|exited/i);
    } finally {
      running = false;
      await api.stop();
    }
  }, 120_000);
});
