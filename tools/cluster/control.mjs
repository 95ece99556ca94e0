// How a second `npm run cluster` finds and talks to the running one. The running one owns every
// process of the cluster, so a restart is done by it, asked over a Unix socket in the cluster's
// folder; state.json says what is running, for `status` and for finding that socket.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';

export const statePath = (dir) => join(dir, 'state.json');
export const socketPath = (dir) => join(dir, 'control.sock');

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Written whole and renamed into place, so that a reader never sees half of it. */
export function writeState(dir, state) {
  const file = statePath(dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function removeState(dir) {
  rmSync(statePath(dir), { force: true });
  rmSync(socketPath(dir), { force: true });
}

/** The running cluster's state, or undefined when none runs from `dir` (a stale file is ignored). */
export function runningState(dir) {
  const file = statePath(dir);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8'));
    return isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves requests of later invocations: each connection sends one JSON line, `handle(request,
 * say)` answers it, and every `say` line is passed back as it happens, then `{ ok }` or `{ error }`.
 */
export function serveControl(dir, handle) {
  rmSync(socketPath(dir), { force: true });
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end === -1) return;
      socket.removeAllListeners('data');
      const send = (message) => socket.writable && socket.write(`${JSON.stringify(message)}\n`);
      let request;
      try {
        request = JSON.parse(buffered.slice(0, end));
      } catch {
        return socket.end(`${JSON.stringify({ error: 'not a JSON request' })}\n`);
      }
      Promise.resolve()
        .then(() => handle(request, (line) => send({ say: line })))
        .then(
          () => send({ ok: true }),
          (error) => send({ error: error instanceof LocalServiceError ? error.message : String(error) }),
        )
        .finally(() => socket.end());
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(socketPath(dir), () => resolvePromise(server));
  });
}

/** Sends one request to the running cluster, printing its progress with `say`. */
export function askCluster(dir, request, say) {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(socketPath(dir));
    let buffered = '';
    let settled = false;
    const settle = (fn) => {
      if (settled) return;
      settled = true;
      fn();
    };
    socket.on('error', (error) =>
      settle(() => reject(new LocalServiceError(`cannot reach the running cluster (${error.code})`))),
    );
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        if (message.say) say(message.say);
        if (message.ok) settle(resolvePromise);
        if (message.error) settle(() => reject(new LocalServiceError(message.error)));
      }
    });
    socket.on('close', () =>
      settle(() =>
        reject(new LocalServiceError('the running cluster closed the connection without an answer')),
      ),
    );
  });
}
