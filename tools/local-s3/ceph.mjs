import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LocalS3Error } from './config.mjs';
import { CEPH, MissingPackagesError, ensurePackages } from '../system-packages.mjs';

/** Fails with the exact apt-get line when Ceph's binaries are missing (installs them as root). */
export function assertCephInstalled() {
  try {
    ensurePackages(CEPH, (message) => console.error(`local-s3: ${message}`));
  } catch (error) {
    if (error instanceof MissingPackagesError) throw new LocalS3Error(error.message);
    throw error;
  }
}

/** Runs a Ceph command; a failure becomes a one-line LocalS3Error naming the command. */
export function run(bin, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolvePromise(stdout);
      const reason = lastLine(stderr) || lastLine(stdout) || error.message;
      const what = error.killed ? `timed out after ${timeoutMs / 1000} s` : reason;
      reject(new LocalS3Error(`${bin} ${args[0] ?? ''} failed: ${what}`));
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

/** The pid a daemon wrote, if that process is still alive. */
export function livePid(pidFile) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() returns a truthy value, or fails with the given message. */
export async function waitFor(check, { timeoutMs, intervalMs = 250, message }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new LocalS3Error(message);
    await sleep(intervalMs);
  }
}
