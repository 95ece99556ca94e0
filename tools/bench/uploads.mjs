// Upload rows: files sent through the API (presign, then POST to the gateway) against the same
// bytes POSTed straight to the gateway with one precomputed policy.
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { startApi, stopServer } from './servers.mjs';

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

/** Runs `count` uploads, `UPLOAD_CONCURRENCY` at a time, and returns the wall-clock seconds. */
async function timed(count, upload) {
  const started = performance.now();
  await inParallel(count, async (index) => {
    const status = await upload(index);
    if (status !== 201) throw new Error(`upload ${index} answered ${status}`);
  });
  return (performance.now() - started) / 1000;
}

const buffers = new Map();
function bytesOf(size) {
  if (!buffers.has(size)) buffers.set(size, new Uint8Array(size).fill(0x62));
  return buffers.get(size);
}

/** `cases`: `[label, count, size, contentType, extension]`. */
export async function uploadRows(env, cases, say) {
  const port = 3214;
  const server = await startApi(
    { ...env, RATE_LIMIT_MAX: '1000000000', UPLOAD_MAX_FILE_SIZE: String(1024 ** 3) },
    port,
  );
  const s3 = gatewayClient(env);
  const viaApi = async (size, type, name) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/uploads/presigned-post`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.BENCH_TOKEN}` },
      body: JSON.stringify({ fileName: name, contentType: type, size }),
    });
    if (response.status !== 201)
      throw new Error(`presign answered ${response.status}: ${await response.text()}`);
    const post = await response.json();
    return postForm(post.url, post.fields, bytesOf(size), name);
  };
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
      say(`uploads: ${label}, direct`);
      const directSeconds = await timed(count, await direct(size, type));
      say(`uploads: ${label}, through the API`);
      const apiSeconds = await timed(count, (i) => viaApi(size, type, `f${i}.${extension}`));
      const mb = (count * size) / 1e6;
      rows.push({
        name: label,
        api: { mbps: mb / apiSeconds, filesPerSecond: count / apiSeconds, seconds: apiSeconds },
        direct: { mbps: mb / directSeconds, filesPerSecond: count / directSeconds, seconds: directSeconds },
        ratio: directSeconds / apiSeconds,
      });
    }
  } finally {
    s3.destroy();
    await stopServer(server);
  }
  return rows;
}
