import type { UploadErrorKind } from './upload-error';

export type RetryAction = 'resign' | 'rehash' | 'top-up' | 'backoff' | 'sign-in' | 'never';

export interface RetryRule {
  action: RetryAction;
  /** Automatic retries before the file is marked failed (a person can still press Retry). */
  maxRetries: number;
}

/**
 * The one table of what is retried on its own. An expired policy or part URL is signed again at
 * once; a part storage refused as corrupted (BadDigest) is read, hashed and signed again, once;
 * parts that completion found missing (409 `upload.parts_incomplete`) are sent again, those alone;
 * network errors, 429 and 5xx back off; an ended session waits for the person to sign in again
 * (the queue pauses, and the file keeps its place); every other 4xx would only fail the same way.
 */
export const RETRY_RULES: Readonly<Record<UploadErrorKind, RetryRule>> = {
  'policy-expired': { action: 'resign', maxRetries: 2 },
  network: { action: 'backoff', maxRetries: 3 },
  'rate-limited': { action: 'backoff', maxRetries: 5 },
  server: { action: 'backoff', maxRetries: 3 },
  'size-mismatch': { action: 'never', maxRetries: 0 },
  'policy-rejected': { action: 'never', maxRetries: 0 },
  'bucket-missing': { action: 'never', maxRetries: 0 },
  'invalid-request': { action: 'never', maxRetries: 0 },
  'parts-incomplete': { action: 'top-up', maxRetries: 2 },
  'signed-out': { action: 'sign-in', maxRetries: 0 },
  forbidden: { action: 'never', maxRetries: 0 },
  'not-as-declared': { action: 'never', maxRetries: 0 },
  'bad-digest': { action: 'rehash', maxRetries: 1 },
};

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * How long to wait before retry number `retry` (1-based), or undefined when the table says
 * not to (or, for `sign-in`, that no timer can help). A server's Retry-After wins over the
 * exponential backoff.
 */
export function retryDelay(kind: UploadErrorKind, retry: number, retryAfterMs?: number): number | undefined {
  const rule = RETRY_RULES[kind];
  if (rule.action === 'never' || rule.action === 'sign-in' || retry > rule.maxRetries) return undefined;
  if (rule.action === 'resign' || rule.action === 'rehash' || rule.action === 'top-up') return 0;
  return retryAfterMs ?? Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (retry - 1));
}
