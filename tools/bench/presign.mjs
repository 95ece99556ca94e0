// The create rows: the full API (POST /api/uploads: token, record, policy) against its floors in
// alternating rounds at 16 connections, and the API and the signing floor, each freshly started,
// at 256 connections.
import { startApi, startServer, peakRss, residentParts, stopServer } from './servers.mjs';
import { wrk } from './wrk.mjs';
import { postForm } from './uploads.mjs';

const PATH = '/api/uploads';
const API_ENV = { RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'info' };

export const SERVERS = [
  {
    id: 'api',
    name: 'Dropgate API, POST /api/uploads (npm start build)',
    port: 3210,
    start: (env, port) => startApi({ ...env, ...API_ENV }, port),
  },
  ...[
    ['record', 'node:http + jose verify (cached by SHA-256) + INSERT + minimal signer (record floor)', 3216],
    ['sdk', 'node:http + @aws-sdk/s3-presigned-post', 3211],
    ['signing', 'node:http + minimal SigV4 signer', 3212],
    ['fixed', 'node:http, fixed 201 body (generator headroom)', 3213],
  ].map(([id, name, port]) => ({
    id,
    name,
    port,
    start: (env, p) => startServer(['tools/bench/floor-servers.mjs', id, String(p)], env, /ready/),
  })),
];

const start = (server, env) => server.start(env, server.port);
const urlOf = (port) => `http://127.0.0.1:${port}${PATH}`;

/** Rounds of every server in turn, so that a noisy moment hits all of them alike. */
export async function alternatingRounds(env, { rounds, seconds, warmup, say }) {
  const children = [];
  try {
    for (const server of SERVERS) children.push(await start(server, env));
    await checkFloorPolicy(urlOf(SERVERS.find((s) => s.id === 'signing').port));
    for (const server of SERVERS)
      await wrk(urlOf(server.port), { seconds: warmup, connections: 16, token: env.BENCH_TOKEN });
    const runs = Object.fromEntries(SERVERS.map((s) => [s.id, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const server of SERVERS) {
        say(`presign round ${round}/${rounds}: ${server.name}`);
        runs[server.id].push(
          await wrk(urlOf(server.port), { seconds, connections: 16, token: env.BENCH_TOKEN }),
        );
      }
    }
    const rss = Object.fromEntries(SERVERS.map((s, i) => [s.id, peakRss(children[i])]));
    return { runs, rss };
  } finally {
    await Promise.all(children.map(stopServer));
  }
}

/**
 * One fresh process per server, warmed at 16 connections as long as a round lasts (a process
 * compiles its hot paths in its first seconds), then held at `connections`.
 */
export async function highConcurrency(env, { ids, seconds, warmup, connections, say }) {
  const rows = {};
  for (const id of ids) {
    const server = SERVERS.find((s) => s.id === id);
    say(`presign at ${connections} connections: ${server.name}`);
    const child = await start(server, env);
    try {
      // The peak so far is the boot's: loading and compiling the modules.
      const bootRss = peakRss(child);
      await wrk(urlOf(server.port), { seconds: warmup, connections: 16, token: env.BENCH_TOKEN });
      rows[id] = {
        ...(await wrk(urlOf(server.port), { seconds, connections, token: env.BENCH_TOKEN })),
        rss: peakRss(child),
        bootRss,
        resident: residentParts(child),
      };
    } finally {
      await stopServer(child);
    }
  }
  return rows;
}

/** The signing floor is only a floor if the gateway accepts what it signs. */
async function checkFloorPolicy(url) {
  const body = new Uint8Array(12345).fill(0x61);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: 'check.pdf', contentType: 'application/pdf', size: body.length }),
  });
  const post = await response.json();
  const status = await postForm(post.url, post.fields, body);
  if (status !== 201) throw new Error(`the gateway refused the signing floor's policy (${status})`);
}
