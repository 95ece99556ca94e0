// The bench's side of fast-receiver.mjs. The receiver runs in a process of its own on the load
// generator's core: in the bench's process, its work would slow the completes the bench sends
// (and their timing) while deliveries arrive. Requests and replies go over the IPC channel, one
// at a time and in order.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pinned } from './cores.mjs';

const SCRIPT = join(import.meta.dirname, 'fast-receiver.mjs');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the receiver; resolves once it listens. `url(path)` is what to register, `key(path,
 * secret)` tells it an endpoint's secret, `count()` and `take()` read (and take clears) the
 * verified receipts, `[path, upload id, epoch ms]`, and the number that failed verification.
 */
export async function startReceiver() {
  const [command, args] = pinned('load', process.execPath, [SCRIPT]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  child.on('message', (message) => waiting.shift()?.(message));
  const exited = new Promise((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the webhook receiver exited with ${code}`))),
  );
  exited.catch(() => undefined);
  const reply = () => Promise.race([new Promise((resolve) => waiting.push(resolve)), exited]);
  const ask = (message) => {
    const answer = reply();
    child.send(message);
    return answer;
  };
  const { port } = await reply();
  const receiver = {
    /** taskset execs node, so this is the receiver's own pid (for its CPU time). */
    pid: child.pid,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    key: (path, secret) => ask({ type: 'key', path, secret }),
    count: () => ask({ type: 'count' }),
    take: () => ask({ type: 'take' }),
    /**
     * Whether `count` verified receipts came within `timeoutMs` (resolves as soon as they have);
     * throws on a delivery whose signature did not verify.
     */
    async waitFor(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const seen = await receiver.count();
        if (seen.rejected) throw new Error(`${seen.rejected} deliveries failed signature verification`);
        if (seen.count >= count) return true;
        if (performance.now() > deadline) return false;
        await sleep(20);
      }
    },
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
  return receiver;
}
