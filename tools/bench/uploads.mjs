// Upload rows: files sent through the API with the web app's calls against the same bytes POSTed
// straight to the gateway with one precomputed policy, in alternating rounds. Through the API, as
// the web queue does it: more files than can start at once are created in one
// `POST /api/uploads/batch` per hundred (else each file is created as it starts), each file is
// POSTed with its own policy, and its complete is sent without holding up the next transfer; the
// clock stops when the last complete has answered.
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { apiClient } from './api-client.mjs';
import { cpuMeter, perFile } from './cpu.mjs';
import { startApi, stopServer } from './servers.mjs';
import { spread } from './stats.mjs';

export const UPLOAD_CONCURRENCY = 4;

/** A multipart/form-data POST of the policy fields, then the file; resolves to the status. */
export async function postForm(url, fields, bytes, fileName = 'file') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), fileName);
  const response = await fetch(url, { method: 'POST', body: form });
  await response.arrayBuffer();
  return response.status;
}

/** An SDK client for the gateway with the bench's credentials (checksums only where S3 demands them). */
export function gatewayClient(env) {
  return new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
}

/** Runs `work(i)` for i from 0 to count - 1, `UPLOAD_CONCURRENCY` at a time. */
export async function inParallel(count, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Runs `upload(i)` for `count` files, `UPLOAD_CONCURRENCY` at a time; the wall-clock seconds. */
async function timed(count, upload) {
  const started = performance.now();
  await inParallel(count, async (index) => {
    const status = await upload(index);
    if (status !== 201) throw new Error(`upload ${index} answered ${status}`);
  });
  return (performance.now() - started) / 1000;
}

const BATCH = 100;

/**
 * Sends `count` files through the API as the web queue does (see the top of this file): the
 * seconds until every complete answered, and until every file was stored (the last POST).
 */
async function throughApi(client, count, size, type, extension) {
  const started = performance.now();
  const files = Array.from({ length: count }, (_, i) => ({
    fileName: `f${i}.${extension}`,
    contentType: type,
    size,
    method: 'post',
  }));
  const ahead = [];
  if (count > UPLOAD_CONCURRENCY) {
    for (let i = 0; i < count; i += BATCH)
      ahead.push(
        ...(await client.call('POST', '/api/uploads/batch', { files: files.slice(i, i + BATCH) })).uploads,
      );
  }
  const completes = [];
  await inParallel(count, async (index) => {
    const upload = ahead[index] ?? (await client.call('POST', '/api/uploads', files[index]));
    const status = await postForm(upload.post.url, upload.post.fields, bytesOf(size), files[index].fileName);
    if (status !== 201) throw new Error(`the POST of ${files[index].fileName} answered ${status}`);
    completes.push(client.call('POST', `/api/uploads/${upload.id}/complete`));
  });
  const stored = (performance.now() - started) / 1000;
  const records = await Promise.all(completes);
  const unavailable = records.filter((record) => record.status !== 'available');
  if (unavailable.length) throw new Error(`${unavailable.length} uploads ended ${unavailable[0].status}`);
  return { seconds: (performance.now() - started) / 1000, stored };
}

const buffers = new Map();
function bytesOf(size) {
  if (!buffers.has(size)) buffers.set(size, new Uint8Array(size).fill(0x62));
  return buffers.get(size);
}

/**
 * `cases`: `[label, count, size, contentType, extension]`, each run in `rounds` alternating rounds
 * (direct, then through the API). The API runs with UPLOAD_SCAN=off, so complete answers
 * `available` (verified and promoted) and no scan of an earlier round runs during a later one.
 */
export async function uploadRows(env, cases, { rounds, say }) {
  const port = 3214;
  const server = await startApi(
    { ...env, UPLOAD_SCAN: 'off', RATE_LIMIT_MAX: '1000000000', UPLOAD_MAX_FILE_SIZE: String(1024 ** 3) },
    port,
  );
  const client = apiClient(`http://127.0.0.1:${port}`, env.BENCH_TOKEN);
  const s3 = gatewayClient(env);
  const direct = async (size, type) => {
    // One policy for every file: `${filename}` in the key, an exact size and type.
    const post = await createPresignedPost(s3, {
      Bucket: env.S3_BUCKET,
      Key: 'bench/direct/${filename}',
      Fields: { 'Content-Type': type, success_action_status: '201' },
      Conditions: [['content-length-range', size, size]],
      Expires: 3600,
    });
    return (index) => postForm(post.url, post.fields, bytesOf(size), `f${index}-${Date.now()}.bin`);
  };
  const rows = [];
  try {
    for (const [label, count, size, type, extension] of cases) {
      const runs = { direct: [], api: [], stored: [], directCpu: [], apiCpu: [] };
      for (let round = 1; round <= rounds; round++) {
        say(`uploads: ${label}, round ${round}/${rounds}, direct`);
        const send = await direct(size, type);
        let meter = cpuMeter(server.pid);
        runs.direct.push(await timed(count, send));
        runs.directCpu.push(meter.stop());
        say(`uploads: ${label}, round ${round}/${rounds}, through the API`);
        meter = cpuMeter(server.pid);
        const { seconds, stored } = await throughApi(client, count, size, type, extension);
        runs.apiCpu.push(meter.stop());
        runs.api.push(seconds);
        runs.stored.push(stored);
      }
      const mb = (count * size) / 1e6;
      const rate = (seconds) => ({ mbps: mb / seconds, filesPerSecond: count / seconds, seconds });
      rows.push({
        name: label,
        rounds,
        api: rate(spread(runs.api).median),
        direct: rate(spread(runs.direct).median),
        ratio: spread(runs.direct.map((seconds, i) => seconds / runs.api[i])),
        storedRatio: spread(runs.direct.map((seconds, i) => seconds / runs.stored[i])),
        cpuPerFile: { direct: perFile(runs.directCpu, count), api: perFile(runs.apiCpu, count) },
      });
    }
  } finally {
    s3.destroy();
    await stopServer(server);
  }
  return rows;
}
