// The bench's own throwaway services beside the test gateway: an identity provider, PostgreSQL and
// clamd, each on ports of their own, and stopped (their folders deleted) at the end.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { API_MAIN } from '../run/api-runtime.mjs';

const root = join(import.meta.dirname, '../..');

const IDP_FLAGS = ['--dir', 'tmp/bench-idp', '--port', '7494'];
// fsync on, as `npm start` runs it: the create rows measure the work a real commit costs.
export const PG_FSYNC = 'on';
const PG_FLAGS = ['--dir', 'tmp/bench-pg', '--port', '7437', '--fsync', PG_FSYNC];
// 7510–7515 belong to the integration tests' and `npm start`'s clamd.
export const CLAMD_PORT = 7516;
const CLAMD_FLAGS = ['--dir', 'tmp/bench-clamav', '--port', String(CLAMD_PORT)];

const run = (script, ...args) =>
  execFileSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' }).trim();

/** `KEY=value` lines, as the local-* tools print them, as an object. */
const parseEnv = (text) => Object.fromEntries(text.split('\n').map((line) => line.split(/=(.*)/s, 2)));

/** A throwaway provider with hour-long tokens (longer than the bench), and a service token from it. */
export function startIdentity() {
  run('tools/local-idp/local-idp.mjs', 'start', '--token-seconds', '3600', ...IDP_FLAGS);
  return {
    OIDC_ISSUER: 'http://127.0.0.1:7494',
    OIDC_AUDIENCE: 'api://dropgate',
    OIDC_CLIENT_ID: 'dropgate-web',
    BENCH_TOKEN: run('tools/local-idp/token.mjs', ...IDP_FLAGS),
  };
}

/** Runs the API's migrations on the database at `url` (their output goes to stderr, not the tables). */
function migrate(url) {
  execFileSync(process.execPath, [API_MAIN, 'migrate'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 2, 2],
  });
}

/** A throwaway PostgreSQL, migrated, for the API and the record floor. */
export function startDatabase() {
  run('tools/local-pg/local-pg.mjs', 'start', ...PG_FLAGS);
  const env = parseEnv(run('tools/local-pg/local-pg.mjs', 'env', ...PG_FLAGS));
  migrate(env.DATABASE_URL);
  return { DATABASE_URL: env.DATABASE_URL };
}

/** Runs `use` with a client of the database at `url`, and closes it. */
export async function withClient(url, use) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, migrated database `name` on the bench's server. Each part of the bench that starts the
 * API gets one: the reconciler settles every expired pending row at boot, and the presign rounds
 * leave a hundred thousand of them, so on a shared database a later part would be timed while
 * the reconciler worked through an earlier part's leftovers (and scanned their objects).
 */
export async function freshDatabase(env, name) {
  await withClient(env.DATABASE_URL, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${name}`;
  migrate(url.href);
  return { ...env, DATABASE_URL: url.href };
}

export const dropDatabase = (env, name) =>
  withClient(env.DATABASE_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

/** A throwaway clamd (EICAR test signatures only) with its default 1 GiB limit; CLAMD_URL for the API. */
export function startScanner() {
  run('tools/local-clamav/local-clamav.mjs', 'start', ...CLAMD_FLAGS);
  return { CLAMD_URL: parseEnv(run('tools/local-clamav/local-clamav.mjs', 'env', ...CLAMD_FLAGS)).CLAMD_URL };
}

/**
 * Stops each service and deletes its folder. It runs in a `finally`, so a failure is reported,
 * not thrown: it must neither hide the bench's own error nor keep the other services up.
 */
export function stopServices() {
  for (const [script, command, flags] of [
    ['tools/local-idp/local-idp.mjs', 'stop', IDP_FLAGS],
    ['tools/local-pg/local-pg.mjs', 'reset', PG_FLAGS],
    ['tools/local-clamav/local-clamav.mjs', 'reset', CLAMD_FLAGS],
  ]) {
    try {
      execFileSync(process.execPath, [script, command, ...flags], {
        cwd: root,
        stdio: ['ignore', 2, 2],
      });
    } catch (error) {
      console.error(`bench: ${script} ${command} failed: ${error.message}`);
    }
  }
}
