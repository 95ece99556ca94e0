// A folder a service started by root but run as nobody can read: the one asked for, or, when a
// folder above it is closed to others (a checkout in a private home or mktemp folder), one of its
// own under the system's temp folder, named after the folder asked for.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** `folder` itself, or `<tmp>/dropgate-<name>-<hash of folder>` when nobody could not reach it. */
export function nobodyHome(folder, name) {
  const absolute = resolve(folder);
  if (process.getuid?.() !== 0 || othersCanReach(dirname(absolute))) return absolute;
  const id = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  return join(tmpdir(), `dropgate-${name}-${id}`);
}

function othersCanReach(folder) {
  for (let at = folder; ; at = dirname(at)) {
    if (existsSync(at) && (statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}
