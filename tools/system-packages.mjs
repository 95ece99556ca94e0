// Debian packages Dropgate runs on. As root, missing ones are installed (the README's commands do
// all the set-up on a fresh machine); otherwise the exact apt-get line to run is the error.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export const CEPH = [
  { bin: 'ceph-mon', pkg: 'ceph-mon' },
  { bin: 'ceph-osd', pkg: 'ceph-osd' },
  { bin: 'radosgw', pkg: 'radosgw' },
  { bin: 'radosgw-admin', pkg: 'radosgw' },
  { bin: 'ceph', pkg: 'ceph-common' },
  { bin: 'monmaptool', pkg: 'ceph-common' },
  { bin: 'ceph-authtool', pkg: 'ceph-common' },
];
export const CHROMIUM = [{ bin: 'chromium', pkg: 'chromium' }];
/** clamd lives in /usr/sbin, which an ordinary user's PATH may leave out. */
export const CLAMAV = [{ bin: 'clamd', pkg: 'clamav-daemon', present: () => clamdPath() !== undefined }];
export const REDIS = [{ bin: 'redis-server', pkg: 'redis-server' }];
/** nginx lives in /usr/sbin too. */
export const NGINX = [{ bin: 'nginx', pkg: 'nginx', present: () => nginxPath() !== undefined }];

export class MissingPackagesError extends Error {}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const pathDirs = () => (process.env.PATH ?? '').split(':');

function onPath(bin) {
  return pathDirs().some((dir) => executable(join(dir, bin)));
}

const sbinPath = (bin) => [...pathDirs(), '/usr/sbin'].map((dir) => join(dir, bin)).find(executable);

/** Where clamd is: on PATH, else in /usr/sbin; undefined when not installed. */
export const clamdPath = () => sbinPath('clamd');

/** Where nginx is: on PATH, else in /usr/sbin; undefined when not installed. */
export const nginxPath = () => sbinPath('nginx');

/** Makes sure the binaries are there, installing their packages when running as root. */
export function ensurePackages(needs, say = (m) => console.error(m)) {
  // `present` answers for binaries a package keeps off PATH (PostgreSQL's, in a versioned folder).
  const missing = [...new Set(needs.filter((n) => !(n.present?.() ?? onPath(n.bin))).map((n) => n.pkg))];
  if (missing.length === 0) return;
  const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new MissingPackagesError(
      `missing Debian packages ${missing.join(', ')}; run: sudo apt-get update && sudo ${install}`,
    );
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const command of ['apt-get update', install]) {
    const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new MissingPackagesError(`"${command}" failed; run it by hand to see why`);
  }
}
