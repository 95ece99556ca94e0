// A PostgreSQL cluster in a data folder, on 127.0.0.1 only, with a password made on first start.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { assertPortFree, livePid, logHint, prepareDir, stopPid } from '../local-service/processes.mjs';
import { requirePostgres } from './binaries.mjs';
import { DATABASE } from './config.mjs';

export function layout(dir) {
  return {
    data: join(dir, 'data'),
    password: join(dir, 'password'),
    // PostgreSQL writes its own pid file; its first line is the postmaster's pid.
    pidFile: join(dir, 'data', 'postmaster.pid'),
    log: join(dir, 'log', 'postgres.log'),
    socketDir: join(dir, 'run'),
  };
}

/**
 * Runs a PostgreSQL program. PostgreSQL refuses to run as root, so as root it runs in a user
 * namespace that maps root to an ordinary uid: the files stay root's, and the server is not root.
 */
function pg(program, args, { say, env } = {}) {
  const bin = join(requirePostgres(say), program);
  const [command, argv] =
    process.getuid?.() === 0
      ? ['unshare', ['--user', '--map-user=1000', '--map-group=1000', bin, ...args]]
      : [bin, args];
  return spawnSync(command, argv, { encoding: 'utf8', env: { ...process.env, ...env } });
}

function check(result, what, log) {
  if (result.error) throw new LocalServiceError(`${what} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const reason = `${result.stderr || result.stdout}`.trim().split('\n').pop();
    throw new LocalServiceError(
      log ? logHint(log, `${what} failed: ${reason}`) : `${what} failed: ${reason}`,
    );
  }
  return result.stdout;
}

export const serverAnswers = (options) =>
  pg('pg_isready', ['-q', '-h', '127.0.0.1', '-p', String(options.port), '-t', '2']).status === 0;

function password(options) {
  const file = layout(options.dir).password;
  if (!existsSync(file)) {
    throw new LocalServiceError(`no cluster in ${options.dir} yet; run \`local-pg start\` first`);
  }
  return readFileSync(file, 'utf8').trim();
}

/** Starts the cluster (initdb on first start); `{ alreadyRunning, started }` as the other services. */
export async function startPg(options, say = () => undefined) {
  prepareDir(options.dir);
  const paths = layout(options.dir);
  if (livePid(paths.pidFile) && serverAnswers(options)) return { alreadyRunning: true, started: false };
  await assertPortFree(options.port, '--port');
  if (!existsSync(join(paths.data, 'PG_VERSION'))) {
    say('initdb (first start)');
    if (!existsSync(paths.password)) {
      writeFileSync(paths.password, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
    }
    rmSync(paths.data, { recursive: true, force: true });
    check(
      pg('initdb', [
        ...['-D', paths.data, '-U', DATABASE, '--auth=scram-sha-256', `--pwfile=${paths.password}`],
        ...['-E', 'UTF8', '--locale=C.UTF-8'],
      ]),
      'initdb',
    );
  }
  const settings = [
    ...['-c', 'listen_addresses=127.0.0.1', '-p', String(options.port), '-k', paths.socketDir],
    ...['-c', `fsync=${options.fsync}`],
    ...(options.fsync === 'off' ? ['-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  check(
    pg('pg_ctl', ['-D', paths.data, '-l', paths.log, '-w', '-t', '60', '-o', settings.join(' '), 'start']),
    'pg_ctl start',
    paths.log,
  );
  const exists = psql(options, 'postgres', `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`);
  if (exists.trim() !== '1') psql(options, 'postgres', `CREATE DATABASE ${DATABASE}`);
  return { alreadyRunning: false, started: true };
}

function psql(options, database, sql) {
  const result = pg(
    'psql',
    ['-h', '127.0.0.1', '-p', String(options.port), '-U', DATABASE, '-d', database, '-tAq', '-c', sql],
    { env: { PGPASSWORD: password(options) } },
  );
  return check(result, 'psql', layout(options.dir).log);
}

/** A fast shutdown (SIGINT): open connections are closed rather than waited for. */
export const stopPg = (options) =>
  stopPid(layout(options.dir).pidFile, { signal: 'SIGINT', graceMs: 30_000 });

/** Stops the cluster and deletes its data folder (a new password on the next start). */
export async function resetPg(options) {
  await stopPg(options);
  rmSync(options.dir, { recursive: true, force: true });
}

/** What the API needs: DATABASE_URL. */
export function clientEnv(options) {
  const secret = encodeURIComponent(password(options));
  return { DATABASE_URL: `postgres://${DATABASE}:${secret}@127.0.0.1:${options.port}/${DATABASE}` };
}
