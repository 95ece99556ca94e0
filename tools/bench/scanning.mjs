// The scanning figures: the scan worker's throughput against clamd reading the same files from
// local disk, the time from complete to `available` for small and large files, and a large
// multipart upload end to end, its scan and its promotion copy apart. One API with one scan at a
// time (UPLOAD_SCAN_CONCURRENCY=1) and the bench's clamd. The files are random bytes: no
// signature matches them, and clamd reads them through as it would any binary.
import { randomFillSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { apiClient } from './api-client.mjs';
import { scanFile, spanMs, watchClamd } from './clamd.mjs';
import { cpuMeter, perFile } from './cpu.mjs';
import { throughApi } from './multipart.mjs';
import { startApi, stopServer } from './servers.mjs';
import { CLAMD_PORT, withClient } from './services.mjs';
import { percentile, spread } from './stats.mjs';
import { gatewayClient } from './uploads.mjs';

const PORT = 3218;
const TYPE = 'application/zip';
const FILES_DIR = join(import.meta.dirname, '../../tmp/bench-scan');

const randomBytes = (size) => randomFillSync(new Uint8Array(size));
const seconds = (from, to) => (to - from) / 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `performance.now()` when all of `ids` were first seen `available`, read from the API's database
 * every 20 ms. The timed runs poll the database, not GET /api/uploads/:id: through the API, each
 * poll's token check and query would take CPU from the scan on the API's core. (The latency rows
 * poll the API, as a client does.)
 */
async function availableAt(db, ids, timeoutMs = 15 * 60_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      'SELECT id, status, status_reason FROM uploads WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const at = performance.now();
    const ended = rows.find((row) => row.status !== 'scanning' && row.status !== 'available');
    if (ended) throw new Error(`upload ${ended.id} ended ${ended.status} (${ended.status_reason})`);
    if (rows.length === ids.length && rows.every((row) => row.status === 'available')) return at;
    if (at > deadline) throw new Error(`uploads still scanning after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

/** Completes an upload; it must answer `scanning` (the scan is the worker's, not the request's). */
async function complete(api, id) {
  const record = await api.call('POST', `/api/uploads/${id}/complete`);
  if (record.status !== 'scanning') throw new Error(`complete answered ${record.status}, not scanning`);
}

/**
 * The files through the worker: sent (not timed), then completed one after another, timed from the
 * first complete until the last is seen `available`, which takes in each file's check, its scan
 * (S3 read → clamd) and its promotion copy (the staged object is the staging sweep's). The scans
 * alone are the time the API held a connection to clamd. Then, apart, the same objects read from
 * the gateway by the bench: clamd stores a stream before it scans it, so a scan through the worker
 * takes the read and the scan one after the other.
 */
async function throughWorker({ api, apiPid, db, store }, files) {
  const uploads = [];
  for (const [i, bytes] of files.entries()) uploads.push(await api.sendPost(`scan-${i}.zip`, TYPE, bytes));
  const watch = watchClamd(CLAMD_PORT);
  const meter = cpuMeter(apiPid);
  const started = performance.now();
  for (const { id } of uploads) await complete(api, id);
  const done = await availableAt(
    db,
    uploads.map((u) => u.id),
  );
  const cpu = meter.stop();
  const spans = watch.stop();
  const read = performance.now();
  for (const { key } of uploads) await store.read(key);
  const readSeconds = seconds(read, performance.now());
  await Promise.all(uploads.map((u) => store.remove(u.key)));
  return {
    seconds: seconds(started, done),
    scanSeconds: spanMs(spans) / 1000,
    scans: spans.length,
    readSeconds,
    cpu,
  };
}

/** The same files sent to clamd from local disk, `lanes` at a time (as many as the worker scans at once). */
async function direct(paths, lanes, apiPid) {
  const meter = cpuMeter(apiPid);
  const started = performance.now();
  const queue = [...paths];
  const lane = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) {
      const reply = await scanFile(CLAMD_PORT, path);
      if (reply !== 'stream: OK') throw new Error(`clamd answered "${reply}" for ${path}`);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { seconds: seconds(started, performance.now()), cpu: meter.stop() };
}

/**
 * Worker and direct in alternating order, `rounds` times; MB/s and the worker / direct ratios. The
 * API scans `lanes` uploads at a time (its UPLOAD_SCAN_CONCURRENCY), and clamd direct is given as
 * many files at a time.
 */
async function throughput(bench, { count, size, rounds, lanes, say }) {
  const files = Array.from({ length: count }, () => randomBytes(size));
  mkdirSync(FILES_DIR, { recursive: true });
  const paths = files.map((bytes, i) => {
    const path = join(FILES_DIR, `scan-${i}.bin`);
    writeFileSync(path, bytes);
    return path;
  });
  const mb = (count * size) / 1e6;
  const samples = {
    worker: [],
    scanStage: [],
    read: [],
    direct: [],
    scans: [],
    workerCpu: [],
    directCpu: [],
  };
  try {
    for (let round = 1; round <= rounds; round++) {
      say(
        `scanning: throughput round ${round} of ${rounds}, ${count} × ${size / 1024 ** 2} MiB, ${lanes} at a time`,
      );
      const runWorker = async () => {
        const run = await throughWorker(bench, files);
        samples.worker.push(run.seconds);
        samples.scanStage.push(run.scanSeconds);
        samples.read.push(run.readSeconds);
        samples.scans.push(run.scans);
        samples.workerCpu.push(run.cpu);
      };
      const runDirect = async () => {
        const run = await direct(paths, lanes, bench.apiPid);
        samples.direct.push(run.seconds);
        samples.directCpu.push(run.cpu);
      };
      // Alternate which goes first, so that neither always follows the other's leftovers.
      for (const step of round % 2 ? [runWorker, runDirect] : [runDirect, runWorker]) await step();
    }
  } finally {
    rmSync(FILES_DIR, { recursive: true, force: true });
  }
  const mbps = (list) => spread(list.map((s) => mb / s));
  const ratio = (list) => spread(list.map((s, i) => samples.direct[i] / s));
  return {
    count,
    size,
    rounds,
    lanes,
    worker: mbps(samples.worker),
    scanStage: mbps(samples.scanStage),
    read: mbps(samples.read),
    direct: mbps(samples.direct),
    workerVsDirect: ratio(samples.worker),
    scanStageVsDirect: ratio(samples.scanStage),
    // The connections seen per round; one per file unless two scans ran within 5 ms of each other.
    scansSeen: samples.scans,
    cpuPerFile: { worker: perFile(samples.workerCpu, count), direct: perFile(samples.directCpu, count) },
  };
}

/** `count` uploads of `size` bytes, one at a time: ms from sending complete until seen `available`. */
async function latency({ api, store }, { label, size, count, say }) {
  say(`scanning: complete → available, ${count} × ${label}`);
  const bytes = randomBytes(size);
  const ms = [];
  for (let i = 0; i < count; i++) {
    const { id, key } = await api.sendPost(`latency-${i}.zip`, TYPE, bytes);
    const started = performance.now();
    await complete(api, id);
    ms.push((await api.available(id)) - started);
    await store.remove(key);
  }
  return { label, size, count, p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms) };
}

/**
 * One large file in parts through the whole path, each phase timed: the transfer and complete's
 * answer as the multipart row has them, then the scan (until clamd's verdict: the worker taking the
 * upload, reading it from S3 into clamd) and the promotion (copy to the final key, the record's
 * update) until the record is seen `available`.
 */
async function endToEnd({ api, db, store }, { size, say }) {
  say(`scanning: ${size / 1024 ** 2} MiB in parts, end to end`);
  const bytes = randomBytes(size);
  const watch = watchClamd(CLAMD_PORT);
  const started = performance.now();
  const upload = await throughApi(api, bytes);
  const answered = performance.now();
  const available = await availableAt(db, [upload.id]);
  const spans = watch.stop();
  await store.remove(upload.key);
  if (spans.length === 0) throw new Error('the API was never seen connected to clamd');
  const verdict = spans.at(-1)[1];
  return {
    size,
    transfer: upload.transfer,
    complete: upload.complete,
    scan: seconds(answered, verdict),
    clamdConnected: spanMs(spans) / 1000,
    promotion: seconds(verdict, available),
    total: seconds(started, available),
  };
}

/**
 * The scanning figures: throughput, latency and a large file end to end from an API scanning one
 * upload at a time, then throughput again from one scanning two at a time (the default).
 */
export async function scanningRows(env, { quick, rounds, say }) {
  const one = await scanningWith(env, 1, async (bench) => {
    // Warm-up, not counted: the API's first token check and connections, clamd's first scan.
    await latency(bench, { label: 'warm-up', size: 1e6, count: 2, say });
    const throughputRow = await throughput(bench, { ...throughputSize(quick), rounds, lanes: 1, say });
    const latencyRows = [
      await latency(bench, { label: '1 MB', size: 1e6, count: quick ? 10 : 30, say }),
      await latency(bench, { label: '100 MB', size: 100e6, count: quick ? 3 : 10, say }),
    ];
    const endToEndRow = await endToEnd(bench, { size: quick ? 128 * 1024 ** 2 : 1024 ** 3, say });
    return { throughput: throughputRow, latency: latencyRows, endToEnd: endToEndRow };
  });
  // The default, two scans at a time.
  const two = await scanningWith(env, 2, async (bench) => {
    await latency(bench, { label: 'warm-up', size: 1e6, count: 2, say });
    return throughput(bench, { ...throughputSize(quick), rounds, lanes: 2, say });
  });
  return { ...one, throughput: [one.throughput, two] };
}

/**
 * Eight files: the worker reads one file into clamd while it scans another, so its throughput is
 * a pipeline's, and the first file's read and the last one's promotion copy, which nothing
 * overlaps, would be a third of the time with four.
 */
const throughputSize = (quick) => ({ count: quick ? 4 : 8, size: (quick ? 16 : 64) * 1024 ** 2 });

/** Runs `measure` against one API started for it on `env` (its own database), scanning `lanes` at a time. */
async function scanningWith(env, lanes, measure) {
  const server = await startApi(
    {
      ...env,
      RATE_LIMIT_MAX: '1000000000',
      UPLOAD_MAX_FILE_SIZE: String(2 * 1024 ** 3),
      UPLOAD_SCAN_CONCURRENCY: String(lanes),
    },
    PORT,
  );
  const s3 = gatewayClient(env);
  const store = {
    remove: (Key) => s3.send(new DeleteObjectCommand({ Bucket: env.S3_BUCKET, Key })),
    /** Reads an object to its end, as the worker's scan does (it is not kept). */
    read: async (Key) => {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: env.S3_BUCKET, Key }));
      for await (const chunk of Body) void chunk;
    },
  };
  const api = apiClient(`http://127.0.0.1:${PORT}`, env.BENCH_TOKEN);
  try {
    return await withClient(env.DATABASE_URL, (db) => measure({ api, apiPid: server.pid, db, store }));
  } finally {
    s3.destroy();
    await stopServer(server);
  }
}
