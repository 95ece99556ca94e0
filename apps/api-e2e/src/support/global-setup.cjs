// Starts the throwaway gateway (unless a caller already did), a throwaway identity provider, a
// throwaway PostgreSQL (fsync off) and a throwaway clamd, and shares their settings with the specs.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../../../..');
const stateFile = join(root, 'tmp/api-e2e/state.json');
/** The provider every API in these tests trusts, unless a spec starts its own. */
const IDP_FLAGS = ['--dir', 'tmp/api-e2e-idp', '--port', '7497'];
const PG_FLAGS = ['--dir', 'tmp/api-e2e-pg', '--port', '7433', '--fsync', 'off'];
const CLAMAV_FLAGS = ['--dir', 'tmp/api-e2e-clamav', '--port', '7511'];

const run = (script, ...args) =>
  execFileSync(process.execPath, [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

module.exports = async () => {
  if (!existsSync(join(root, 'dist/apps/api/main.js'))) {
    throw new Error('dist/apps/api/main.js is missing: run `npx nx build api` (npm test does) first');
  }
  const { env, startedNow } = JSON.parse(run('tools/local-s3/test-gateway.mjs', 'start'));
  run('tools/local-idp/local-idp.mjs', 'start', ...IDP_FLAGS);
  run('tools/local-pg/local-pg.mjs', 'start', ...PG_FLAGS);
  run('tools/local-clamav/local-clamav.mjs', 'start', ...CLAMAV_FLAGS);
  const envOf = (tool, flags) =>
    Object.fromEntries(
      run(tool, 'env', ...flags)
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
  const idpEnv = envOf('tools/local-idp/local-idp.mjs', IDP_FLAGS);
  const dbEnv = envOf('tools/local-pg/local-pg.mjs', PG_FLAGS);
  const clamdEnv = envOf('tools/local-clamav/local-clamav.mjs', CLAMAV_FLAGS);
  mkdirSync(join(root, 'tmp/api-e2e'), { recursive: true });
  writeFileSync(
    stateFile,
    JSON.stringify({
      env,
      startedNow,
      idpEnv,
      idpFlags: IDP_FLAGS,
      dbEnv,
      pgFlags: PG_FLAGS,
      clamdEnv,
      clamavFlags: CLAMAV_FLAGS,
    }),
  );
};
