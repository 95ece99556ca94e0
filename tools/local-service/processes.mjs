// Pid files, readiness polling, ports and data folders: what every local service's tool needs.
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { LocalServiceError } from './errors.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The pid in a pid file, if that process is still alive. */
export function livePid(pidFile) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim().split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Polls until check() returns a truthy value, or fails with the given message. */
export async function waitFor(check, { timeoutMs, intervalMs = 250, message }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new LocalServiceError(message);
    await sleep(intervalMs);
  }
}

async function waitUntilGone(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(100);
  }
  return false;
}

/**
 * Stops the process of a pid file (`signal`, SIGTERM by default, then SIGKILL after `graceMs`);
 * true if one was running.
 */
export async function stopPid(pidFile, { graceMs = 20_000, signal = 'SIGTERM' } = {}) {
  const pid = livePid(pidFile);
  if (!pid) return false;
  process.kill(pid, signal);
  if (!(await waitUntilGone(pid, graceMs))) process.kill(pid, 'SIGKILL');
  await waitUntilGone(pid, 5_000);
  rmSync(pidFile, { force: true });
  return true;
}

/**
 * Whether a service answers HTTP at `url` within 2 s: any response counts, or only a 2xx with
 * `requireOk`. Never throws.
 */
export async function httpAnswers(url, { requireOk = false } = {}) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return !requireOk || response.ok;
  } catch {
    return false;
  }
}

/** Fails with a message naming the flag when 127.0.0.1:`port` is taken. */
export function assertPortFree(port, flag) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(
        new LocalServiceError(
          error.code === 'EADDRINUSE'
            ? `port ${port} on 127.0.0.1 is already in use; free it or choose another with ${flag}`
            : `cannot bind 127.0.0.1:${port} (${error.code}); choose another with ${flag}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise()));
  });
}

/** Creates the data folder (with `run/` and `log/`) and proves it writable, or names --dir. */
export function prepareDir(dir) {
  try {
    mkdirSync(join(dir, 'run'), { recursive: true });
    mkdirSync(join(dir, 'log'), { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, '.write-probe');
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new LocalServiceError(
      `data folder ${dir} is not writable (${error.code ?? error.message}); choose another with --dir`,
    );
  }
}

/**
 * Starts `command` in the background, in its own session, with its output appended to `logFile`,
 * and writes its pid to `pidFile`. For services that do not daemonise themselves.
 */
export function spawnDaemon(command, args, { pidFile, logFile, env = process.env, cwd }) {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env, cwd });
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/** A pointer to the log for a failure message. */
export const logHint = (logFile, message) => `${message}; see ${logFile}`;
