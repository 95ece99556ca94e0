import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from './support/gateway';

// tools/local-pg: a real PostgreSQL cluster in its own folder and on its own port.
const DIR = 'tmp/local-pg-tool-test';
const PORT = 7434;
const FLAGS = ['--dir', DIR, '--port', String(PORT), '--fsync', 'off'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const tool = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      ['tools/local-pg/local-pg.mjs', ...args],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('tools/local-pg', () => {
  let url = '';
  beforeAll(async () => {
    const started = await tool('start', ...FLAGS);
    expect(started).toMatchObject({ code: 0, stdout: `local-pg: ready at 127.0.0.1:${PORT}\n` });
    url = (await tool('env', ...FLAGS)).stdout.trim().replace(/^DATABASE_URL=/, '');
  }, 120_000);
  afterAll(async () => {
    await tool('reset', ...FLAGS);
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
  });

  it('should be a no-op when started twice, and report itself running', async () => {
    expect(await tool('start', ...FLAGS)).toMatchObject({
      code: 0,
      stdout: `local-pg: already running at 127.0.0.1:${PORT}\n`,
    });
    expect((await tool('status', ...FLAGS)).stdout).toMatch(
      /^local-pg: running at 127\.0\.0\.1:7434 \(pid \d+\)\n$/,
    );
  });

  it('should print a DATABASE_URL whose password is the one kept beside the data, readable by its owner only', async () => {
    const password = readFileSync(join(ROOT, DIR, 'password'), 'utf8').trim();
    expect(url).toBe(`postgres://dropgate:${encodeURIComponent(password)}@127.0.0.1:${PORT}/dropgate`);
    expect(statSync(join(ROOT, DIR, 'password')).mode & 0o077).toBe(0);
    expect(await query(url, 'SELECT current_database() AS db, current_user AS role')).toEqual([
      { db: 'dropgate', role: 'dropgate' },
    ]);
  });

  it('should run a throwaway cluster without fsync, listening on 127.0.0.1 only', async () => {
    expect(
      await query(
        url,
        "SELECT current_setting('fsync') AS fsync, current_setting('listen_addresses') AS listen",
      ),
    ).toEqual([{ fsync: 'off', listen: '127.0.0.1' }]);
  });

  it('should refuse a wrong password', async () => {
    await expect(query(url.replace(/:[^:@]+@/, ':wrong@'), 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );
  });

  it('should keep the data across a stop and a start', async () => {
    await query(url, 'CREATE TABLE IF NOT EXISTS kept (note text); INSERT INTO kept VALUES ($$still here$$)');
    expect((await tool('stop', ...FLAGS)).stdout).toBe('local-pg: stopped\n');
    expect((await tool('status', ...FLAGS)).code).toBe(3);
    expect((await tool('start', ...FLAGS)).code).toBe(0);
    expect(await query(url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
  }, 120_000);

  describe('bad input', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(7435, '127.0.0.1', resolve));
    });
    afterAll(() => blocker.close());

    it.each<[string, string[], number, RegExp]>([
      [
        'an unknown command',
        ['vacuum'],
        2,
        /^local-pg: unknown command "vacuum"; expected one of start, stop, reset, status, env\n$/,
      ],
      [
        'a port that is not a number',
        ['start', '--port', 'x'],
        2,
        /^local-pg: --port must be a whole number from 1024 to 65535 \(got "x"\)\n$/,
      ],
      [
        'an fsync that is neither on nor off',
        ['start', '--fsync', 'maybe'],
        2,
        /^local-pg: --fsync must be on or off \(got "maybe"\)\n$/,
      ],
      [
        'a port already taken',
        ['start', '--dir', 'tmp/local-pg-taken', '--port', '7435'],
        1,
        /^local-pg: port 7435 on 127\.0\.0\.1 is already in use; free it or choose another with --port\n$/,
      ],
      [
        'env before any start',
        ['env', '--dir', 'tmp/local-pg-never'],
        1,
        /^local-pg: no cluster in .*local-pg-never yet; run `local-pg start` first\n$/,
      ],
    ])('should refuse %s with one line', async (_case, args, code, message) => {
      const run = await tool(...args);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
    });
  });
});
