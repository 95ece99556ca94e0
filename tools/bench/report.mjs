// The markdown tables `npm run bench` prints (and the README quotes).
import { UPLOAD_CONCURRENCY } from './uploads.mjs';
import { PG_FSYNC } from './services.mjs';
import { SERVERS } from './presign.mjs';
import { profileTables } from './profile.mjs';
import { ENDPOINTS as PROXY_ENDPOINTS, TARGETS as PROXY_TARGETS } from './proxy.mjs';
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

/** One scan-throughput table: the worker scanning `lanes` uploads at a time against clamd direct. */
function throughputTable(t) {
  const mbRow = (name, r) => `| ${name} | ${num(r.median, 1)} | ${num(r.min, 1)} | ${num(r.max, 1)} |`;
  const files = `${t.lanes} file${t.lanes > 1 ? 's' : ''} at a time`;
  return [
    '',
    `| scan throughput, ${t.count} × ${t.size / 1024 ** 2} MiB of random bytes, UPLOAD_SCAN_CONCURRENCY=${t.lanes}, ${t.rounds} alternating rounds | MB/s median | min | max |`,
    '| --- | ---: | ---: | ---: |',
    mbRow(
      'through the scan worker: first complete → all `available` (includes each promotion copy and staged delete; records read from the database every 20 ms)',
      t.worker,
    ),
    mbRow(
      'the worker’s scans alone: while the API held a clamd connection (S3 read → clamd; copy and delete excluded)',
      t.scanStage,
    ),
    mbRow(
      'the same objects read from the gateway alone, one after another (the bench’s SDK client; clamd stores a stream, then scans it)',
      t.read,
    ),
    mbRow(`clamd direct: INSTREAM from a local file, 64 KiB chunks, ${files}`, t.direct),
    '',
    `Worker / clamd direct, ${files}, per round: ${ratio(t.workerVsDirect)} (goal ≥ 0.8; the worker's time includes the promotion copies and deletes). ` +
      `Worker's scans alone / clamd direct: ${ratio(t.scanStageVsDirect)}.`,
    ...cpuTable(`scan throughput, ${files}`, [
      ['through the scan worker', t.cpuPerFile.worker],
      ['clamd direct', t.cpuPerFile.direct],
    ]),
  ];
}

/** The scanning figures: the worker against clamd direct, complete → available, a large file end to end. */
function scanningTables({ throughput, latency, endToEnd: e }) {
  const ms = (value) => num(value, 0);
  const sec = (value) => num(value, 2);
  return [
    ...throughput.flatMap(throughputTable),
    '',
    '| complete → `available`, one upload at a time (single POST; GET /api/uploads/:id every 20 ms, as a client polls) | uploads | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...latency.map((r) => `| ${r.label} | ${r.count} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} |`),
    '',
    'p99 is nearest-rank: with fewer than 100 uploads it is the slowest one. The poll adds up to 20 ms.',
    '',
    `| ${e.size / 1024 ** 2} MiB of random bytes in parts, end to end (${UPLOAD_CONCURRENCY} parts in flight) | seconds |`,
    '| --- | ---: |',
    `| transfer: create, then MD5 + sign + PUT per part | ${sec(e.transfer)} |`,
    `| complete’s answer (CompleteMultipartUpload, the check) | ${sec(e.complete)} |`,
    `| scan: complete’s answer → clamd’s verdict (the worker takes it, S3 read → clamd; connected ${sec(e.clamdConnected)} s, ${num(e.size / 1e6 / e.clamdConnected, 0)} MB/s) | ${sec(e.scan)} |`,
    `| promotion: verdict → \`available\` in the database, read every 20 ms (one CopyObject to the final key, the record settled) | ${sec(e.promotion)} |`,
    `| **total** | **${sec(e.total)}** |`,
  ];
}

/** The presign tables: the API against its floors at 16 connections, then at 256. */
function presignTables({ runs, rss }, high, settings) {
  const lines = [
    `Presign: wrk (one thread) ${settings.pinned ? 'on core 0, each server on core 1' : 'not pinned (no taskset)'}; ` +
      `${settings.rounds} alternating rounds of ${settings.seconds} s at 16 connections, after ${settings.warmup} s of warm-up each. ` +
      `PostgreSQL as \`npm start\` runs it (fsync ${PG_FSYNC}).`,
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
    `API / record floor, per round: ${ratio(roundRatios(runs, 'api', 'record'))} (goal ≥ 0.7). ` +
      `API / signing floor: ${ratio(roundRatios(runs, 'api', 'signing'))}. ` +
      `API / SDK floor: ${ratio(roundRatios(runs, 'api', 'sdk'))}. ` +
      `Generator headroom, fixed body / signing floor: ${ratio(headroom)} (must be ≥ 2).`,
    '',
    `| presign at ${settings.connections} connections, ${settings.highSeconds} s (fresh process, ${settings.seconds} s warm-up at 16) | req/s | p99 ms | max ms | over 1 s | errors | peak RSS | peak RSS by the end of boot | resident at the end: own / mapped files |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [id, r] of Object.entries(high)) {
    const name = SERVERS.find((s) => s.id === id).name;
    lines.push(
      `| ${name} | ${num(r.rps)} | ${num(r.p99, 1)} | ${num(r.max)} | ${r.over1s} | ${r.errors} | ${mb(r.rss)} | ${r.bootRss ? mb(r.bootRss) : '–'} | ${r.resident ? `${mb(r.resident.anon)} / ${mb(r.resident.file)}` : '–'} |`,
    );
  }
  lines.push(
    '',
    'Goals at 256 connections: no request over 1 s; peak RSS of the API at most 150 MB.',
    'Mapped files are mostly the node binary’s own pages (code, ICU data), shared by every node process on the machine.',
  );
  return { lines, headroom };
}

function uploadsTable(uploads) {
  return [
    '',
    `| uploads (concurrency ${UPLOAD_CONCURRENCY}; through the API with the web app's calls: batch create when more files than can start at once, POST, complete without holding a transfer; medians of alternating rounds) | through API MB/s | files/s | direct MB/s | files/s | API / direct, per round | stored (last POST) / direct |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...uploads.map(
      (r) =>
        `| ${r.name} | ${num(r.api.mbps, 1)} | ${num(r.api.filesPerSecond, 1)} | ${num(r.direct.mbps, 1)} | ${num(r.direct.filesPerSecond, 1)} | ${ratio(r.ratio)} | ${ratio(r.storedRatio)} |`,
    ),
    '',
    'Goal for the small files: API / direct ≥ 0.9. The API column ends when the last complete answered (`available`: verified and copied to its key; the staged copy is left to the staging sweep); the last column when the last file was stored.',
    ...cpuTable(
      'uploads',
      uploads.flatMap((r) => [
        [`${r.name}, direct`, r.cpuPerFile.direct],
        [`${r.name}, through the API`, r.cpuPerFile.api],
      ]),
    ),
  ];
}

/**
 * CPU per file by process, `rows` of `[label, ms by group]`: every process here shares the same
 * cores, so a path that asks them for more CPU per file is slower for it on this machine.
 */
function cpuTable(what, rows) {
  const row = (label, cpu) => {
    const cells = [cpu.gateway, cpu.api, cpu.postgres, cpu.clamd, cpu.bench];
    const all = cells.reduce((sum, ms) => sum + ms, 0);
    return `| ${label} | ${[...cells, all].map((ms) => num(ms, 1)).join(' | ')} |`;
  };
  return [
    '',
    `| ${what}: CPU per file, ms (medians of the rounds) | gateway (radosgw, ceph-osd, ceph-mon) | API | PostgreSQL | clamd | bench (client) | all |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(([label, cpu]) => row(label, cpu)),
    '',
    'All of these processes share the same cores here: CPU one path asks for more than another is time it waits for them.',
  ];
}

function multipartTable(multipart) {
  const mib = multipart.size / 1024 ** 2;
  const mbRow = (name, r) => `| ${name} | ${num(r.median, 1)} | ${num(r.min, 1)} | ${num(r.max, 1)} |`;
  return [
    '',
    `| ${mib} MiB, ${UPLOAD_CONCURRENCY} parts in flight, ${multipart.rounds} alternating rounds | MB/s median | min | max |`,
    '| --- | ---: | ---: | ---: |',
    mbRow(
      'multipart through the API (create, MD5 + sign + PUT per part, complete; the scan after it not counted)',
      multipart.api,
    ),
    mbRow('one direct POST, precomputed policy', multipart.post),
    mbRow('direct parts with the SDK’s credentials and Content-MD5, no API', multipart.parts),
    mbRow('direct parts with the SDK’s credentials, no MD5, no API', multipart.bareParts),
    '',
    `Multipart through the API / one direct POST, per round: ${ratio(multipart.vsPost)} (goal ≥ 1.0). ` +
      `/ direct parts with MD5: ${ratio(multipart.vsParts)} (goal ≥ 0.9). ` +
      `/ direct parts without MD5 (the integrity checks' cost included): ${ratio(multipart.vsBareParts)}.`,
  ];
}

function webTable(web, multipart) {
  const against = multipart
    ? `, ${(web.md5.median / multipart.api.median).toFixed(1)}× the multipart upload rate above`
    : '';
  return [
    '',
    `MD5 in Chromium (hash-wasm in the app's worker, 8 MiB parts one after another): ${num(web.md5.median, 0)} MB/s median ` +
      `(${num(web.md5.min, 0)}–${num(web.md5.max, 0)})${against}.`,
    '',
    '| web app, initial JavaScript | raw | gzip | brotli | on the wire (encoding) |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| ${web.files} files (+${web.lazyFiles} lazy) | ${kb(web.raw)} | ${kb(web.gzip)} | ${kb(web.brotli)} | ${kb(web.wire.bytes)} (${web.wire.encodings.join(', ')}) |`,
  ];
}

function shutdownTable(shutdown) {
  const sec = (value) => num(value, 2);
  return [
    '',
    `| SIGTERM with ${num(shutdown.rows)} expired pending uploads (RECONCILE_INTERVAL_SECONDS=1) | |`,
    '| --- | ---: |',
    `| drain period (SHUTDOWN_DRAIN_SECONDS) | ${shutdown.drainSeconds} s |`,
    `| SIGTERM → process exit (goal ≤ ${shutdown.drainSeconds + 5} s) | **${sec(shutdown.seconds)} s** |`,
    `| ended by (exit code, or the signal that killed it; the API exits 0 once shut down) | ${shutdown.exit} |`,
    `| uploads settled when SIGTERM was sent / by exit | ${num(shutdown.settledBeforeSigterm)} / ${num(shutdown.settledByExit)} |`,
  ];
}

/** The webhook figures: complete → delivery at 100/s, deliveries/s from a backlog, the outbox's cost on complete. */
function webhooksTables({ fileSize, rate, seconds, latency, drain: d, cost: c }) {
  const ms = (value) => num(value, 0);
  const row = (name, r, digits = 0) =>
    `| ${name} | ${num(r.median, digits)} | ${num(r.min, digits)} | ${num(r.max, digits)} |`;
  const met = d.rate.median >= 1000 ? 'met' : '**not met**';
  return [
    '',
    `| complete → \`upload.available\` verified at a local receiver, ${rate} completes/s sent for ${seconds} s (${fileSize / 1024} KiB files, 1 endpoint) | sent/s | arrived | p50 ms | p99 ms | max ms | event committed → receipt p50 / p99 ms | complete's answer p50 / p99 ms |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...latency.map(
      (r) =>
        `| UPLOAD_SCAN=${r.scan} (${r.scan === 'on' ? 'the scan worker writes the event after clamd' : 'complete writes the event'}) | ${num(r.sentPerSecond, 1)} | ${r.arrived} / ${r.count} | **${ms(r.p50)}** | **${ms(r.p99)}** | ${ms(r.max)} | ${ms(r.outboxP50)} / ${ms(r.outboxP99)} | ${ms(r.completeP50)} / ${ms(r.completeP99)} |`,
    ),
    '',
    'Timed per upload from sending complete to the first verified receipt; sends keep to the schedule whether or not earlier completes have answered. "Event committed → receipt" is the outbox alone (the event row\'s time to its receipt).',
    '',
    `| deliveries to a fast local receiver (node:http, 204 at once, keep-alive; signatures verified), backlogs of ${num(d.backlog)} \`upload.available\` to 1 endpoint inserted as the outbox writes them, WEBHOOK_DELIVERY_CONCURRENCY at its default, ${d.rounds} rounds | median | min | max |`,
    '| --- | ---: | ---: | ---: |',
    row('**deliveries/s**, commit of the backlog → last receipt', d.rate),
    row('deliveries/s between the 10th and 90th percentile receipts', d.steady),
    row('commit → first receipt, ms', d.firstMs),
    row('API CPU, share of one core', d.apiCore, 2),
    row('PostgreSQL CPU (all its processes), cores', d.postgresCores, 2),
    row('receiver CPU, share of one core', d.receiverCore, 2),
    row('API CPU ms per 1,000 deliveries', d.apiMsPer1000),
    row('PostgreSQL CPU ms per 1,000 deliveries', d.postgresMsPer1000),
    '',
    `Goal ≥ 1,000 deliveries/s: ${met}.`,
    '',
    `| POST /api/uploads/:id/complete, UPLOAD_SCAN=off (complete writes the event), ${num(c.count)} × ${fileSize / 1024} KiB per run, ${c.connections} at a time, ${c.rounds} alternating rounds | completes/s median | min | max |`,
    '| --- | ---: | ---: | ---: |',
    row('no endpoint subscribed (3 registered for `upload.deleted`)', c.none),
    row('3 endpoints subscribed but disabled (the event and 3 deliveries written, none sent)', c.disabled),
    row('3 endpoints subscribed (written, and sent to the receiver meanwhile by the same process)', c.three),
    '',
    `3 disabled / none, per round: ${ratio(c.disabledVsNone)}. 3 subscribed / none, per round: ${ratio(c.threeVsNone)}.`,
  ];
}

/** The proxy's cost: one instance behind nginx against the same instance alone, per endpoint. */
function proxyTable({ runs, workers, connections }, settings) {
  const where = settings.pinned
    ? 'the API and nginx both on core 1, wrk (one thread) on core 0'
    : 'not pinned (no taskset)';
  const lines = [
    '',
    `Proxy: one API instance alone and behind nginx (tools/cluster/nginx.conf, ${workers ?? '?'} worker${workers === 1 ? '' : 's'}, keep-alive to the instance, access log on); ` +
      `${where}; ${settings.rounds} alternating rounds of ${settings.seconds} s at ${connections} connections, after ${settings.warmup} s of warm-up each.`,
    '',
    `| ${connections} connections | req/s median | min | max | p99 ms (median) | errors |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const endpoint of PROXY_ENDPOINTS) {
    for (const target of PROXY_TARGETS) {
      const r = runs[endpoint.id][target.id];
      const rps = spread(r.map((x) => x.rps));
      const errors = r.reduce((sum, x) => sum + x.errors, 0);
      lines.push(
        `| ${endpoint.name}, ${target.name} | ${num(rps.median)} | ${num(rps.min)} | ${num(rps.max)} | ${num(spread(r.map((x) => x.p99)).median, 1)} | ${errors} |`,
      );
    }
  }
  // With the servers' core saturated, 1/rate is its time per request; the difference is nginx's.
  const added = (id) =>
    num(spread(runs[id].nginx.map((run, i) => 1e6 / run.rps - 1e6 / runs[id].direct[i].rps)).median);
  lines.push(
    '',
    ...PROXY_ENDPOINTS.map(
      (e) =>
        `${e.name}: nginx + API / API alone, per round: ${ratio(roundRatios(runs[e.id], 'nginx', 'direct'))}; ` +
        `the server core's time per request grows by ${added(e.id)} µs (median of rounds).`,
    ),
  );
  return lines;
}

/**
 * The tables of the sections that ran (`npm run bench -- --only …` runs some), and the generator's
 * headroom when the presign rounds ran.
 */
export function report({
  machine,
  settings,
  rounds,
  high,
  uploads,
  multipart,
  scanning,
  shutdown,
  web,
  webhooks,
  proxy,
  profile,
}) {
  const lines = [
    `Machine: ${machine.cpu} (${machine.cores} cores), Node ${machine.node}; ${machine.date}; \`npm run bench\`${settings.quick ? ' --quick' : ''}${settings.only ? ` --only ${settings.only.join(',')}` : ''}; ` +
      `1-minute load average ${machine.load.start.toFixed(1)} at the start, ${machine.load.end.toFixed(1)} at the end`,
  ];
  let headroom;
  if (rounds) {
    const presign = presignTables(rounds, high, settings);
    lines.push(...presign.lines);
    headroom = presign.headroom;
  }
  if (uploads) lines.push(...uploadsTable(uploads));
  if (multipart) lines.push(...multipartTable(multipart));
  if (web) lines.push(...webTable(web, multipart));
  if (scanning) lines.push(...scanningTables(scanning));
  if (shutdown) lines.push(...shutdownTable(shutdown));
  if (webhooks) lines.push(...webhooksTables(webhooks));
  if (proxy) lines.push(...proxyTable(proxy, settings));
  if (profile) lines.push(...profileTables(profile));
  return { table: lines.join('\n'), headroom };
}
