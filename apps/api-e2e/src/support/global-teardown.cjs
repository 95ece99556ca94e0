// Stops the throwaway gateway only when this run started it.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../../../..');

module.exports = async () => {
  const { startedNow } = JSON.parse(readFileSync(join(root, 'tmp/api-e2e/state.json'), 'utf8'));
  if (startedNow)
    execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', 'stop'], {
      cwd: root,
      stdio: 'inherit',
    });
};
