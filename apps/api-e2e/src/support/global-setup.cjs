// Starts the throwaway gateway (unless a caller already did) and shares its settings with the specs.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../../../..');
const stateFile = join(root, 'tmp/api-e2e/state.json');

module.exports = async () => {
  if (!existsSync(join(root, 'dist/apps/api/main.js'))) {
    throw new Error('dist/apps/api/main.js is missing: run `npx nx build api` (npm test does) first');
  }
  const output = execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', 'start'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { env, startedNow } = JSON.parse(output);
  mkdirSync(join(root, 'tmp/api-e2e'), { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ env, startedNow }));
};
