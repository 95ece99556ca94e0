// Where a create's time goes: the API, freshly started under V8's sampling profiler (`--cpu-prof`),
// warmed, then loaded at 16 connections as the presign rounds load it. The profile is written
// beside the bench's JSON (open it in Chrome's DevTools for the flame graph of one request), and
// summed here by self time: per function, and per package.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { API_MAIN, API_NODE_FLAGS } from '../run/api-runtime.mjs';
import { startServer, stopServer } from './servers.mjs';
import { wrk } from './wrk.mjs';

const PORT = 3217;
const API_ENV = { RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'info' };

/** Profiles the API under load; returns the profile's file and its top functions and packages. */
export async function profileCreates(env, { dir, seconds, warmup, say }) {
  say(`profiling POST /api/uploads for ${seconds} s (--cpu-prof into ${dir})`);
  const child = await startServer(
    [...API_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dir}`, API_MAIN],
    { ...env, ...API_ENV, PORT: String(PORT) },
    /Dropgate API listening/,
  );
  const url = `http://127.0.0.1:${PORT}/api/uploads`;
  let load;
  try {
    await wrk(url, { seconds: warmup, connections: 16, token: env.BENCH_TOKEN });
    load = await wrk(url, { seconds, connections: 16, token: env.BENCH_TOKEN });
  } finally {
    // V8 writes the profile as the process exits.
    await stopServer(child);
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the API wrote no profile into ${dir}`);
  return {
    file: join(dir, file),
    rps: load.rps,
    ...summarize(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  };
}

/** Self time per function and per package, as shares of all samples, largest first. */
export function summarize(profile, top = 25) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfSamples = new Map();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFunction = new Map();
  const byPackage = new Map();
  for (const [id, count] of selfSamples) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const where = packageOf(url);
    const name = `${functionName || '(anonymous)'} ${where}${url && !url.includes('node_modules') ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    byPackage.set(where, (byPackage.get(where) ?? 0) + count);
  }
  const shares = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, share: count / total }));
  return { samples: total, functions: shares(byFunction), packages: shares(byPackage) };
}

/** `pg`, `@nestjs/core`, `node:internal`, `(program)`, `api` (our bundle): where a frame's code lives. */
function packageOf(url) {
  if (!url) return '(v8)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return url.split('/')[0];
  if (url.endsWith('dist/apps/api/main.js')) return 'api';
  return url.replace(/^file:\/\/.*\//, '');
}

/** Where a create's time goes: self time per package, then per function. */
export function profileTables(profile) {
  const pct = (share) => `${(share * 100).toFixed(1)} %`;
  return [
    '',
    `Profile of POST /api/uploads at 16 connections (${Math.round(profile.rps)} req/s under the profiler, ${profile.samples} samples): \`${profile.file.replace(/^.*bench-results/, 'bench-results')}\``,
    '',
    '| package | self time |',
    '| --- | ---: |',
    ...profile.packages.slice(0, 12).map((p) => `| ${p.name} | ${pct(p.share)} |`),
    '',
    '| function | self time |',
    '| --- | ---: |',
    ...profile.functions.slice(0, 25).map((f) => `| \`${f.name}\` | ${pct(f.share)} |`),
  ];
}
