// The multipart row: one large file through the full path (create, then per part: MD5, sign,
// PUT; then complete), against the same bytes as one direct POST with a precomputed policy and as
// parts PUT straight to the gateway with the SDK's credentials (no API in the loop), with and
// without Content-MD5. Each round runs the four in turn, so that they share the machine's noise;
// the ratios are medians of the rounds. The API's row ends at complete's answer (the upload is then
// `scanning`); the scan and the promotion copy are timed in scanning.mjs.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { planParts, partRange } from '../../libs/shared/util-parts/src/lib/parts.ts';
import { startApi, stopServer } from './servers.mjs';
import { gatewayClient, inParallel, postForm } from './uploads.mjs';
import { apiClient } from './api-client.mjs';
import { spread } from './stats.mjs';

const TYPE = 'application/zip';

/** Runs `work(n)` for parts 1..count, `UPLOAD_CONCURRENCY` at a time. */
const eachPart = (count, work) => inParallel(count, (index) => work(index + 1));

/**
 * PUTs bytes with node:http, as the SDK does for the direct parts (undici's fetch streams a large
 * body through web streams, several times slower here); resolves to the status.
 */
function put(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', headers: { ...headers, 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function seconds(run) {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/**
 * The whole path a client takes through Dropgate, up to complete's answer (the upload is then
 * `scanning`): its id and key, and the seconds of the transfer (create, then MD5, sign and PUT per
 * part) and of complete.
 */
export async function throughApi(api, bytes) {
  const started = performance.now();
  const created = await api.call('POST', '/api/uploads', {
    fileName: 'bench.zip',
    contentType: TYPE,
    size: bytes.length,
    method: 'multipart',
  });
  if (created.method !== 'multipart') throw new Error(`expected a multipart upload, got ${created.method}`);
  const plan = { partSize: created.partSize, partCount: created.partCount };
  await eachPart(plan.partCount, async (partNumber) => {
    const { start, end } = partRange(bytes.length, plan, partNumber);
    const body = bytes.subarray(start, end);
    const md5 = createHash('md5').update(body).digest('base64');
    const { parts } = await api.call('POST', `/api/uploads/${created.id}/parts`, {
      parts: [{ partNumber, md5 }],
    });
    const status = await put(parts[0].url, parts[0].headers, body);
    if (status !== 200) throw new Error(`part ${partNumber} answered ${status}`);
  });
  const sent = performance.now();
  const record = await api.call('POST', `/api/uploads/${created.id}/complete`);
  if (record.status !== 'scanning') throw new Error(`complete answered ${record.status}, not scanning`);
  const completed = performance.now();
  return {
    id: created.id,
    key: created.key,
    transfer: (sent - started) / 1000,
    complete: (completed - sent) / 1000,
  };
}

/**
 * The same bytes as parts, straight to the gateway with the SDK's credentials; with `md5`, each
 * part carries its Content-MD5 as Dropgate's do, so that the API in the loop is the only difference.
 */
async function directParts(s3, bucket, bytes, { md5 }) {
  const Key = `bench/direct-parts/${Date.now()}.zip`;
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key, ContentType: TYPE }),
  );
  const plan = planParts(bytes.length);
  const etags = [];
  try {
    await eachPart(plan.partCount, async (PartNumber) => {
      const { start, end } = partRange(bytes.length, plan, PartNumber);
      const Body = bytes.subarray(start, end);
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber,
          Body,
          ...(md5 && { ContentMD5: createHash('md5').update(Body).digest('base64') }),
        }),
      );
      etags[PartNumber - 1] = { PartNumber, ETag: part.ETag };
    });
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
  } catch (error) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })).catch(() => undefined);
    throw error;
  }
  return Key;
}

/** `size` bytes through each path, `rounds` times; MB/s and the ratios of each round. */
export async function multipartRow(env, { size, rounds, say }) {
  const port = 3217;
  const server = await startApi(
    { ...env, RATE_LIMIT_MAX: '1000000000', UPLOAD_MAX_FILE_SIZE: String(2 * 1024 ** 3) },
    port,
  );
  const s3 = gatewayClient(env);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = i % 251;
  const post = await createPresignedPost(s3, {
    Bucket: env.S3_BUCKET,
    Key: 'bench/direct-post/${filename}',
    Fields: { 'Content-Type': TYPE, success_action_status: '201' },
    Conditions: [['content-length-range', size, size]],
    Expires: 3600,
  });
  const cleanUp = (Key) => s3.send(new DeleteObjectCommand({ Bucket: env.S3_BUCKET, Key }));
  const api = apiClient(`http://127.0.0.1:${port}`, env.BENCH_TOKEN);
  // The row ends at complete's answer; the scan and the promotion copy that follow are waited
  // for outside the timing, so that they do not run under the direct uploads' rounds.
  const viaApi = async (body) => {
    let upload;
    const time = await seconds(async () => (upload = await throughApi(api, body)));
    await api.available(upload.id, { everyMs: 100 });
    await cleanUp(upload.key);
    return time;
  };
  const samples = { api: [], post: [], parts: [], bareParts: [] };
  try {
    // Warm-up, not counted: the API's first token check, key fetch and connections.
    const warm = bytes.subarray(0, 32 * 1024 ** 2);
    await viaApi(warm);
    await cleanUp(await directParts(s3, env.S3_BUCKET, warm, { md5: true }));
    for (let round = 1; round <= rounds; round++) {
      say(`multipart: round ${round} of ${rounds}, ${size / 1024 ** 2} MiB each way`);
      let key;
      samples.api.push(await viaApi(bytes));
      const name = `r${round}-${Date.now()}.zip`;
      samples.post.push(
        await seconds(async () => {
          const status = await postForm(post.url, post.fields, bytes, name);
          if (status !== 201) throw new Error(`the direct POST answered ${status}`);
        }),
      );
      await cleanUp(`bench/direct-post/${name}`);
      samples.parts.push(
        await seconds(async () => (key = await directParts(s3, env.S3_BUCKET, bytes, { md5: true }))),
      );
      await cleanUp(key);
      samples.bareParts.push(
        await seconds(async () => (key = await directParts(s3, env.S3_BUCKET, bytes, { md5: false }))),
      );
      await cleanUp(key);
    }
  } finally {
    s3.destroy();
    await stopServer(server);
  }
  const mbps = (list) => spread(list.map((s) => size / 1e6 / s));
  const ratio = (other) => spread(samples.api.map((s, i) => other[i] / s));
  return {
    size,
    rounds,
    api: mbps(samples.api),
    post: mbps(samples.post),
    parts: mbps(samples.parts),
    bareParts: mbps(samples.bareParts),
    vsPost: ratio(samples.post),
    vsParts: ratio(samples.parts),
    vsBareParts: ratio(samples.bareParts),
  };
}
