// A light request (GET /api/uploads/config: authentication and the rate limit, no database)
// every 50 ms, from a thread of its own. The upload client's thread hashes and generates tens of
// MiB at a time, which delays when it reads an answer by hundreds of milliseconds; the probe's
// latencies are the API's, which is what the 150 ms figure while Redis is out is about.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { send } from './http.mjs';

export const PROBE_ROUTE = 'GET /api/uploads/config (probe)';

export class Probe {
  constructor(baseUrl, token, intervalMs = 50) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { baseUrl, token, intervalMs } });
  }

  /** Stops the probe (once, however often called); resolves to its answers, as the client records its own. */
  stop() {
    this.stopped ??= new Promise((resolve, reject) => {
      this.worker.once('message', (answers) => {
        void this.worker.terminate();
        resolve(answers);
      });
      this.worker.once('error', reject);
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}

async function probe({ baseUrl, token, intervalMs }) {
  const answers = [];
  let running = true;
  parentPort.once('message', () => (running = false));
  for (let n = 1; running; n++) {
    const at = Date.now();
    const started = performance.now();
    const { status } = await send(`${baseUrl}/api/uploads/config`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      timeoutMs: 30_000,
    });
    const ms = performance.now() - started;
    answers.push({ at, route: PROBE_ROUTE, status, ms, call: `probe-${n}`, attempt: 1 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - ms)));
  }
  parentPort.postMessage(answers);
}

if (!isMainThread) await probe(workerData);
