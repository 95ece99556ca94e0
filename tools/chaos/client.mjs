// The fault test's client: uploads files through the cluster as a careful client does (an
// Idempotency-Key on create and complete, retries on a lost answer, a 5xx, a 429 or a 409 that
// says "try again"), then waits for each to be `available` and downloads it to check its MD5.
// Every answer the API gave is recorded with its time, so the report can say which 5xx fell
// outside a fault's window.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { partRange } from '../../libs/shared/util-parts/src/lib/parts.ts';
import { postForm } from '../bench/uploads.mjs';
import { send } from './http.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** What a retry may change: the instance died (nginx answers 502), the database restarts (503). */
const RETRIED = new Set([429, 502, 503, 504]);
/** 409s that describe a wait, not a conflict: the same key in flight, or another settler's lease. */
const RETRIED_CODES = new Set(['idempotency.in_flight', 'upload.settling']);
const TYPE = 'application/zip';
const MULTIPART_ABOVE = 8 * 1024 ** 2;

/** PUTs a part's bytes with the headers its URL signed; resolves to the status (0: no answer). */
function put(url, headers, body) {
  return send(url, { method: 'PUT', headers, body, timeoutMs: 120_000 }).then((answer) => answer.status);
}

/** The problem's machine-readable code (`errors[0].code`), if the body is a problem. */
const problemCode = (text) => {
  try {
    return JSON.parse(text)?.errors?.[0]?.code;
  } catch {
    return undefined;
  }
};

/** S3's ETag of a multipart object: the MD5 of the parts' binary MD5s, then "-" and their count. */
const multipartEtag = (partMd5s) =>
  `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;

export class ChaosClient {
  /**
   * Every answer from the API: `{at, route, status, ms, call, attempt, code}` (status 0: no
   * answer); the attempts of one call share its number.
   */
  answers = [];
  calls = 0;
  /** Requests sent to the API and not yet answered. */
  inFlight = 0;
  /** Uploads the client holds as done: available, downloaded, MD5 checked. */
  done = [];
  /** Uploads that failed for good, with why. */
  failed = [];
  /** Every upload begun: its file name, its create's Idempotency-Key, and the id the create was answered with. */
  creates = [];
  running = true;

  /**
   * @param patienceMs how long one call is retried: longer than the 60 s leases a killed
   *   instance leaves on a key in flight and on an upload it was settling
   */
  constructor(baseUrl, token, { runId, patienceMs = 150_000 } = {}) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.runId = runId;
    this.patienceMs = patienceMs;
  }

  /**
   * A JSON call; with a `key` (sent as Idempotency-Key) or for a call that changes nothing
   * (`safe`), retried until it gets a final answer or patience runs out.
   */
  async call(method, path, route, body, { key, safe = method === 'GET' } = {}) {
    const deadline = Date.now() + this.patienceMs;
    const call = ++this.calls;
    for (let attempt = 1; ; attempt++) {
      const at = Date.now();
      const started = performance.now();
      this.inFlight++;
      const answer = await send(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body && { 'content-type': 'application/json' }),
          ...(key && { 'idempotency-key': key }),
        },
        body: body && JSON.stringify(body),
        timeoutMs: 30_000,
      });
      this.inFlight--;
      const { status, text } = answer;
      const code = status >= 400 ? problemCode(text) : undefined;
      this.answers.push({ at, route, status, ms: performance.now() - started, call, attempt, code });
      const retry = status === 0 || RETRIED.has(status) || (status === 409 && RETRIED_CODES.has(code));
      if (retry && (key || safe) && Date.now() < deadline) {
        const retryAfter = Number(answer.headers['retry-after'] ?? 0);
        await sleep(Math.min(retryAfter * 1000 || 200 * attempt, 2_000));
        continue;
      }
      if (status < 200 || status >= 300)
        throw new Error(`${method} ${route} answered ${status || 'nothing'}: ${text.slice(0, 200)}`);
      return { body: text ? JSON.parse(text) : undefined, replayed: answer.headers['idempotent-replayed'] };
    }
  }

  /** Uploads begun by `begin`, apart from the workers'. */
  extras = [];

  /**
   * Keeps uploading until `stop()`, each worker one file at a time and at most one every
   * `everyMs` (0: back to back); `sizes` is cycled, and `first` (if given) is worker 0's first
   * file. Resolves once every upload begun has ended.
   */
  async run({ workers, sizes, first, everyMs = 0 }) {
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        // Spread the workers' starts over one interval, so that they do not keep step.
        await sleep((everyMs * worker) / workers);
        for (let n = 0; this.running; n++) {
          const size = worker === 0 && n === 0 && first ? first : sizes[(n + worker) % sizes.length];
          const started = Date.now();
          await this.attempt(`${this.runId}-w${worker}-${n}.zip`, size);
          if (this.running) await sleep(Math.max(0, started + everyMs - Date.now()));
        }
      }),
    );
    await Promise.all(this.extras);
  }

  /**
   * One more upload, at once, beside the workers (who may all be waiting on something): a fault
   * uses it to be sure that a create is sent while it lasts.
   */
  begin(size) {
    this.extras.push(this.attempt(`${this.runId}-x${this.extras.length}.zip`, size));
  }

  attempt(fileName, size) {
    const upload = { fileName };
    return this.uploadOne(upload, randomBytes(size)).catch((error) =>
      this.failed.push({ ...upload, error: error.message }),
    );
  }

  stop() {
    this.running = false;
  }

  /** Creates, sends, completes, waits for and downloads one file; fills in `upload` as it goes. */
  async uploadOne(upload, bytes) {
    const { fileName } = upload;
    const digest = createHash('md5').update(bytes).digest();
    const multipart = bytes.length > MULTIPART_ABOVE;
    Object.assign(upload, { size: bytes.length, multipart, md5: digest.toString('hex') });
    const key = randomUUID();
    const begun = { fileName, key, id: undefined, replayed: false };
    this.creates.push(begun);
    const { body: created, replayed } = await this.call(
      'POST',
      '/api/uploads',
      'POST /api/uploads',
      {
        fileName,
        contentType: TYPE,
        size: bytes.length,
        method: multipart ? 'multipart' : 'post',
        // A single POST pins its MD5 in the policy and records it; parts each carry their own.
        ...(!multipart && { md5: digest.toString('base64') }),
      },
      { key },
    );
    begun.id = created.id;
    begun.replayed = replayed === 'true';
    upload.id = created.id;
    if (multipart) upload.etag = await this.sendParts(created, bytes);
    else await this.sendPost(created, bytes, fileName);
    const { body: completed } = await this.call(
      'POST',
      `/api/uploads/${created.id}/complete`,
      'POST /api/uploads/:id/complete',
      undefined,
      { key: `${key}.complete` },
    );
    upload.completedAt = Date.now();
    if (completed.status !== 'available') await this.untilAvailable(upload);
    upload.availableAt ??= Date.now();
    await this.download(upload);
    this.done.push(upload);
  }

  async sendPost(created, bytes, fileName) {
    for (let attempt = 1; ; attempt++) {
      const status = await postForm(created.post.url, created.post.fields, bytes, fileName).catch(() => 0);
      if (status === 201 || status === 204) return;
      if (attempt >= 5) throw new Error(`the POST to storage answered ${status}`);
      await sleep(500 * attempt);
    }
  }

  /** Sends every part; returns the ETag storage will give the joined object. */
  async sendParts(created, bytes) {
    const plan = { partSize: created.partSize, partCount: created.partCount };
    const digests = [];
    for (let partNumber = 1; partNumber <= plan.partCount; partNumber++) {
      const { start, end } = partRange(bytes.length, plan, partNumber);
      const body = bytes.subarray(start, end);
      const digest = createHash('md5').update(body).digest();
      digests.push(digest);
      for (let attempt = 1; ; attempt++) {
        // Signing changes nothing: a retry is safe without a key.
        const { body: signed } = await this.call(
          'POST',
          `/api/uploads/${created.id}/parts`,
          'POST /api/uploads/:id/parts',
          { parts: [{ partNumber, md5: digest.toString('base64') }] },
          { safe: true },
        );
        const status = await put(signed.parts[0].url, signed.parts[0].headers, body);
        if (status === 200) break;
        if (attempt >= 5) throw new Error(`part ${partNumber} answered ${status}`);
        await sleep(500 * attempt);
      }
    }
    return multipartEtag(digests);
  }

  /** Polls the record until it is available; notes whether it was seen waiting in `scanning`. */
  async untilAvailable(upload) {
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const { body: record } = await this.call('GET', `/api/uploads/${upload.id}`, 'GET /api/uploads/:id');
      if (record.status === 'available') {
        upload.availableAt = Date.now();
        return;
      }
      if (record.status === 'scanning') {
        upload.firstScanningAt ??= Date.now();
        upload.lastScanningAt = Date.now();
      } else if (record.status !== 'pending')
        throw new Error(`${upload.id} ended ${record.status} (${record.reason ?? 'no reason given'})`);
      if (Date.now() > deadline) throw new Error(`${upload.id} still ${record.status} after 10 minutes`);
      await sleep(250);
    }
  }

  /** Downloads through the link the API signs, and checks the bytes' MD5 against what was sent. */
  async download(upload) {
    const { body: link } = await this.call(
      'GET',
      `/api/uploads/${upload.id}/download`,
      'GET /api/uploads/:id/download',
    );
    const response = await fetch(link.url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`${upload.id}: the download answered ${response.status}`);
    const got = createHash('md5')
      .update(Buffer.from(await response.arrayBuffer()))
      .digest('hex');
    if (got !== upload.md5) throw new Error(`${upload.id}: downloaded MD5 ${got}, sent ${upload.md5}`);
  }
}
