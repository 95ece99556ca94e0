// The check npm makes at install (EBADENGINE), made against the Node that runs the project rather
// than the one that runs npm: every package in the lock file must accept this Node.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const semver = require('semver');
const root = join(import.meta.dirname, '../..');

/** Lock-file packages whose `engines.node` this Node does not satisfy (optional ones for other platforms aside). */
export function unmetEngines(version = process.version) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([, pkg]) => !pkg.optional && pkg.engines?.node)
    .filter(([, pkg]) => !semver.satisfies(version, pkg.engines.node, { includePrerelease: true }))
    .map(([path, pkg]) => `${path || 'the project'} wants node ${pkg.engines.node}`);
}
