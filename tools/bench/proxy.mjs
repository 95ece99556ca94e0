// The proxy's cost (issue 19): one API instance behind nginx, configured from the production
// template (tools/cluster/nginx.conf), against the same instance alone, in alternating rounds of
// one run. nginx runs on the servers' core beside the API, so that both rows get the same CPU and
// the difference is what nginx costs; wrk stays on the generator's core.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Nginx } from '../cluster/nginx.mjs';
import { assertPortFree, httpAnswers, waitFor } from '../local-service/processes.mjs';
import { pinned } from './cores.mjs';
import { startApi, stopServer } from './servers.mjs';
import { wrk } from './wrk.mjs';

const root = join(import.meta.dirname, '../..');
const DIR = join(root, 'tmp/bench-proxy');
const API_PORT = 3221;
const NGINX_PORT = 3230;
// As the presign rows run the API, and as `npm run cluster` runs it behind nginx (TRUSTED_PROXIES).
const API_ENV = { RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'info', TRUSTED_PROXIES: '127.0.0.1' };
const CONNECTIONS = 16;

/** The rows: the request each one sends, and how. */
export const ENDPOINTS = [
  { id: 'create', name: 'POST /api/uploads', path: '/api/uploads', method: 'POST' },
  { id: 'health', name: 'GET /api/health', path: '/api/health', method: 'GET' },
];
export const TARGETS = [
  { id: 'direct', name: 'API alone', port: API_PORT },
  { id: 'nginx', name: 'nginx + API', port: NGINX_PORT },
];

/** The template's nginx with every command it runs (`-t`, the server, `-s`) on the servers' core. */
class PinnedNginx extends Nginx {
  command(extra) {
    const [command, args] = super.command(extra);
    return pinned('server', command, args);
  }
}

/**
 * `rounds` rounds of each endpoint against the API alone and through nginx, the order of the two
 * swapped every round; returns
 * `{ runs: { [endpoint]: { direct, nginx } }, workers, connections }`.
 */
export async function proxyRows(env, { rounds, seconds, warmup, say }) {
  const nginx = new PinnedNginx({ dir: DIR, port: NGINX_PORT, say });
  await assertPortFree(NGINX_PORT, 'NGINX_PORT in tools/bench/proxy.mjs');
  // A fresh prefix each run, so that the access log holds this run's requests only.
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const api = await startApi({ ...env, ...API_ENV }, API_PORT);
  try {
    // The one instance is the only upstream line, as `npm run cluster -- --instances 1` writes it.
    nginx.start([{ port: API_PORT, inNginx: true }]);
    const health = `http://127.0.0.1:${NGINX_PORT}/api/health`;
    await waitFor(() => httpAnswers(health, { requireOk: true }), {
      timeoutMs: 10_000,
      message: `nginx did not answer ${health} within 10 s`,
    }).catch((error) => {
      throw new Error(`${error.message}: ${nginx.lastError()}`);
    });
    const workers = childCount(nginx.child.pid);
    const run = (endpoint, target, seconds) =>
      wrk(`http://127.0.0.1:${target.port}${endpoint.path}`, {
        seconds,
        connections: CONNECTIONS,
        token: env.BENCH_TOKEN,
        method: endpoint.method,
      });
    for (const endpoint of ENDPOINTS) for (const target of TARGETS) await run(endpoint, target, warmup);
    const runs = Object.fromEntries(
      ENDPOINTS.map((e) => [e.id, Object.fromEntries(TARGETS.map((t) => [t.id, []]))]),
    );
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 ? TARGETS : [...TARGETS].reverse();
      for (const endpoint of ENDPOINTS) {
        for (const target of order) {
          say(`proxy round ${round}/${rounds}: ${endpoint.name}, ${target.name}`);
          runs[endpoint.id][target.id].push(await run(endpoint, target, seconds));
        }
      }
    }
    return { runs, workers, connections: CONNECTIONS };
  } finally {
    await nginx.stop().catch((error) => say(`stopping nginx failed: ${error.message}`));
    await stopServer(api);
  }
}

/**
 * How many workers `worker_processes auto` started: nginx 1.22 counts the machine's cores, not the
 * cores it may run on, so they can outnumber the one core they share.
 */
function childCount(pid) {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n').length;
  } catch {
    return undefined;
  }
}
