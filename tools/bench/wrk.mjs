// One wrk run against a JSON POST endpoint, pinned to the generator's core. wrk is C and
// event-driven, so one thread on one core drives a node:http server well past the API's rate;
// the bench checks that headroom on every run rather than assuming it. wrk runs asynchronously so
// that the bench keeps reading the servers' logs meanwhile: a server whose stdout is not read
// buffers its log lines in memory, which would inflate its measured RSS.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { pinned } from './cores.mjs';

const SCRIPT = join(import.meta.dirname, 'post-json.lua');
const BODY = JSON.stringify({ fileName: 'q3 report.pdf', contentType: 'application/pdf', size: 12345 });

/**
 * Loads `url` for `seconds` with `connections` (POSTs of a create's JSON body, or with
 * `method: 'GET'` bodiless GETs) and returns `{ rps, p50, p99, max, over1s, errors, requests }`
 * (latencies in ms).
 */
export async function wrk(url, { seconds, connections, token, method = 'POST' }) {
  const [command, args] = pinned('load', 'wrk', [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    // Requests slower than this count as timeouts (and as over 1 s); the rest are in the histogram.
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    url,
  ]);
  const { stdout: output } = await promisify(execFile)(command, args, {
    encoding: 'utf8',
    env: { ...process.env, BENCH_BODY: BODY, BENCH_AUTH: token ?? '', BENCH_METHOD: method },
  });
  const r = JSON.parse(output.trim().split('\n').pop());
  const errors = r.non2xx + r.connect + r.read + r.write + r.timeout;
  return {
    rps: r.requests / r.seconds,
    p50: r.p50 / 1000,
    p99: r.p99 / 1000,
    max: r.max / 1000,
    over1s: r.over1s + r.timeout,
    errors,
    requests: r.requests,
  };
}
