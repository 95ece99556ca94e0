// The markdown tables `npm run bench` prints (and the README quotes).
import { UPLOAD_CONCURRENCY } from './uploads.mjs';
import { SERVERS } from './presign.mjs';
import { spread } from './stats.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const num = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = ({ median, min, max }) =>
  `**${median.toFixed(2)}** (min ${min.toFixed(2)}, max ${max.toFixed(2)})`;

/** Per-round ratios of one server's rate to another's, summarised. */
export function roundRatios(runs, over, under) {
  return spread(runs[over].map((run, i) => run.rps / runs[under][i].rps));
}

export function report({ machine, settings, rounds, high, uploads, multipart, web }) {
  const { runs, rss } = rounds;
  const lines = [
    `Machine: ${machine.cpu} (${machine.cores} cores), Node ${machine.node}; ${machine.date}; \`npm run bench\`${settings.quick ? ' --quick' : ''}`,
    `Presign: wrk (one thread) ${settings.pinned ? 'on core 0, each server on core 1' : 'not pinned (no taskset)'}; ` +
      `${settings.rounds} alternating rounds of ${settings.seconds} s at 16 connections, after ${settings.warmup} s of warm-up each.`,
    '',
    '| create, 16 connections | req/s median | min | max | p99 ms (median) | errors | peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const server of SERVERS) {
    const r = runs[server.id];
    const rps = spread(r.map((x) => x.rps));
    const errors = r.reduce((sum, x) => sum + x.errors, 0);
    lines.push(
      `| ${server.name} | ${num(rps.median)} | ${num(rps.min)} | ${num(rps.max)} | ${num(spread(r.map((x) => x.p99)).median, 1)} | ${errors} | ${mb(rss[server.id])} |`,
    );
  }
  const headroom = roundRatios(runs, 'fixed', 'signing');
  lines.push(
    '',
    `API / record floor, per round: ${ratio(roundRatios(runs, 'api', 'record'))} (goal ≥ 0.5). ` +
      `API / signing floor: ${ratio(roundRatios(runs, 'api', 'signing'))}. ` +
      `API / SDK floor: ${ratio(roundRatios(runs, 'api', 'sdk'))}. ` +
      `Generator headroom, fixed body / signing floor: ${ratio(headroom)} (must be ≥ 2).`,
    '',
    `| presign at ${settings.connections} connections, ${settings.highSeconds} s (fresh process, ${settings.seconds} s warm-up at 16) | req/s | p99 ms | max ms | over 1 s | errors | peak RSS |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [id, r] of Object.entries(high)) {
    const name = SERVERS.find((s) => s.id === id).name;
    lines.push(
      `| ${name} | ${num(r.rps)} | ${num(r.p99, 1)} | ${num(r.max)} | ${r.over1s} | ${r.errors} | ${mb(r.rss)} |`,
    );
  }
  lines.push(
    '',
    'Goals at 256 connections: no request over 1 s; peak RSS of the API at most 150 MB.',
    '',
    `| uploads (concurrency ${UPLOAD_CONCURRENCY}) | through API MB/s | files/s | direct MB/s | files/s | API / direct |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of uploads) {
    lines.push(
      `| ${r.name} | ${num(r.api.mbps, 1)} | ${num(r.api.filesPerSecond, 1)} | ${num(r.direct.mbps, 1)} | ${num(r.direct.filesPerSecond, 1)} | ${r.ratio.toFixed(2)} |`,
    );
  }
  const mib = multipart.size / 1024 ** 2;
  const mbRow = (name, r) => `| ${name} | ${num(r.median, 1)} | ${num(r.min, 1)} | ${num(r.max, 1)} |`;
  lines.push(
    '',
    `| ${mib} MiB, ${UPLOAD_CONCURRENCY} parts in flight, ${multipart.rounds} alternating rounds | MB/s median | min | max |`,
    '| --- | ---: | ---: | ---: |',
    mbRow('multipart through the API (create, MD5 + sign + PUT per part, complete)', multipart.api),
    mbRow('one direct POST, precomputed policy', multipart.post),
    mbRow('direct parts with the SDK’s credentials and Content-MD5, no API', multipart.parts),
    mbRow('direct parts with the SDK’s credentials, no MD5, no API', multipart.bareParts),
    '',
    `Multipart through the API / one direct POST, per round: ${ratio(multipart.vsPost)} (goal ≥ 1.0). ` +
      `/ direct parts with MD5: ${ratio(multipart.vsParts)} (goal ≥ 0.9). ` +
      `/ direct parts without MD5 (the integrity checks' cost included): ${ratio(multipart.vsBareParts)}.`,
    '',
    `MD5 in Chromium (hash-wasm in the app's worker, 8 MiB parts one after another): ${num(web.md5.median, 0)} MB/s median ` +
      `(${num(web.md5.min, 0)}–${num(web.md5.max, 0)}), ${(web.md5.median / multipart.api.median).toFixed(1)}× the multipart upload rate above.`,
  );
  lines.push(
    '',
    '| web app, initial JavaScript | raw | gzip | brotli | on the wire (encoding) |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| ${web.files} files (+${web.lazyFiles} lazy) | ${kb(web.raw)} | ${kb(web.gzip)} | ${kb(web.brotli)} | ${kb(web.wire.bytes)} (${web.wire.encodings.join(', ')}) |`,
  );
  return { table: lines.join('\n'), headroom };
}
