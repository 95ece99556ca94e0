import { execFile } from 'node:child_process';
import { LocalServiceError } from '../local-service/errors.mjs';
import { CEPH, MissingPackagesError, ensurePackages } from '../system-packages.mjs';

/** Fails with the exact apt-get line when Ceph's binaries are missing (installs them as root). */
export function assertCephInstalled() {
  try {
    ensurePackages(CEPH, (message) => console.error(`local-s3: ${message}`));
  } catch (error) {
    if (error instanceof MissingPackagesError) throw new LocalServiceError(error.message);
    throw error;
  }
}

/** Runs a Ceph command; a failure becomes a one-line LocalServiceError naming the command. */
export function run(bin, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolvePromise(stdout);
      const reason = lastLine(stderr) || lastLine(stdout) || error.message;
      const what = error.killed ? `timed out after ${timeoutMs / 1000} s` : reason;
      reject(new LocalServiceError(`${bin} ${args[0] ?? ''} failed: ${what}`));
    });
  });
}

function lastLine(text) {
  return String(text ?? '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .pop();
}
