// Stops the identity provider, deletes the database and clamd's folder, and stops the throwaway
// gateway only when this run started it.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../../../..');

module.exports = async () => {
  const { startedNow, idpFlags, pgFlags, clamavFlags } = JSON.parse(
    readFileSync(join(root, 'tmp/api-e2e/state.json'), 'utf8'),
  );
  const run = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  run('tools/local-idp/local-idp.mjs', 'stop', ...idpFlags);
  run('tools/local-pg/local-pg.mjs', 'reset', ...pgFlags);
  run('tools/local-clamav/local-clamav.mjs', 'reset', ...clamavFlags);
  if (startedNow) run('tools/local-s3/test-gateway.mjs', 'stop');
};
