// Servers under test: started pinned to the server core, ready when their output says so, and
// asked for their peak resident memory (VmHWM) before they stop.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_MAIN, API_NODE_FLAGS } from '../run/api-runtime.mjs';
import { pinned } from './cores.mjs';

const root = join(import.meta.dirname, '../..');

/** Starts `node <args>` and resolves once its standard output matches `readyPattern`. */
export function startServer(args, env, readyPattern) {
  const [command, argv] = pinned('server', process.execPath, args);
  const child = spawn(command, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (!readyPattern.test(output)) return;
      child.stdout.off('data', onData);
      // Keep draining, as a terminal would, so that logging costs what it costs in production.
      child.stdout.on('data', () => undefined);
      resolve(child);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

/** The built API as `npm start` runs it (its V8 flags included), on `port`. */
export const startApi = (env, port) =>
  startServer([...API_NODE_FLAGS, API_MAIN], { ...env, PORT: String(port) }, /Dropgate API listening/);

/** Fields of a running server's /proc status, in bytes (taskset execs node, so the pid is node's). */
function statusBytes(child, names) {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return names.map((name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024);
}

/** Peak resident set size of a running server, in bytes. */
export const peakRss = (child) => statusBytes(child, ['VmHWM'])[0];

/**
 * What a running server holds resident now, in bytes: its own memory (heap, buffers: RssAnon) and
 * the pages of files it maps (RssFile: mostly the node binary's code and ICU data, shared between
 * every node process on the machine and dropped by the kernel under pressure).
 */
export function residentParts(child) {
  const [anon, file] = statusBytes(child, ['RssAnon', 'RssFile']);
  return { anon, file };
}

export function stopServer(child) {
  // A process that ended on a signal (one killed outright) has no exit code.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}
