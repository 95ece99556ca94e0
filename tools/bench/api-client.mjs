// The API as the bench's client sees it: JSON calls with the bench's token, a single-POST upload
// sent with its form, and a record polled until the scanner is done with it.
import { randomUUID } from 'node:crypto';
import { postForm } from './uploads.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers a retry with the same Idempotency-Key may change: the instance died, or (409 `idempotency.in_flight`) the first is running. */
const RETRIED = new Set([409, 502, 503, 504]);
const ATTEMPTS = 4;

export function apiClient(baseUrl, token) {
  /**
   * A JSON call; its answer's body, or an error naming the call and the status. With `key`, it is
   * sent as the Idempotency-Key and the call is retried, with the same key, after a lost answer,
   * a 502/503/504 or a 409 (the first still running), so the work is done once.
   */
  const call = async (method, path, body, { key } = {}) => {
    for (let attempt = 1; ; attempt++) {
      let response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body && { 'content-type': 'application/json' }),
            ...(key && { 'idempotency-key': `"${key}"` }),
          },
          body: body && JSON.stringify(body),
        });
      } catch (error) {
        if (key && attempt < ATTEMPTS) {
          await sleep(100 * attempt);
          continue;
        }
        throw error;
      }
      const text = await response.text();
      const retried = response.status !== 409 || text.includes('idempotency.in_flight');
      if (key && attempt < ATTEMPTS && RETRIED.has(response.status) && retried) {
        await sleep(Number(response.headers.get('retry-after') ?? 0) * 1000 || 100 * attempt);
        continue;
      }
      if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return JSON.parse(text);
    }
  };

  /** Creates a single-POST upload and POSTs `bytes` with its form; the created upload (not completed). */
  const sendPost = async (fileName, contentType, bytes) => {
    const created = await call(
      'POST',
      '/api/uploads',
      { fileName, contentType, size: bytes.length, method: 'post' },
      { key: randomUUID() },
    );
    const status = await postForm(created.post.url, created.post.fields, bytes, fileName);
    if (status !== 201 && status !== 204) throw new Error(`the POST of ${fileName} answered ${status}`);
    return created;
  };

  /**
   * Polls GET /api/uploads/:id every `everyMs` until the upload leaves `scanning`, as a client
   * waiting for the scanner does; resolves with `performance.now()` when it was seen `available`.
   */
  const available = async (id, { everyMs = 20, timeoutMs = 600_000 } = {}) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const record = await call('GET', `/api/uploads/${id}`);
      const at = performance.now();
      if (record.status === 'available') return at;
      if (record.status !== 'scanning' && record.status !== 'pending')
        throw new Error(`upload ${id} ended ${record.status}${record.reason ? ` (${record.reason})` : ''}`);
      if (at > deadline) throw new Error(`upload ${id} still ${record.status} after ${timeoutMs / 1000} s`);
      await sleep(everyMs);
    }
  };

  return { call, sendPost, available };
}
