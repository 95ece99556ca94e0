import type { ProblemCode, ProblemDetails, UploadRecord } from '@dropgate/shared/api-contract';
import { rejectionText } from './rejection-reasons';

/** What went wrong, in the terms the retry table and the screen need. */
export type UploadErrorKind =
  | 'policy-expired'
  | 'size-mismatch'
  | 'policy-rejected'
  | 'bucket-missing'
  | 'invalid-request'
  | 'parts-incomplete'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'signed-out'
  | 'forbidden'
  | 'not-as-declared'
  | 'bad-digest';

export class UploadError extends Error {
  constructor(
    readonly kind: UploadErrorKind,
    message: string,
    /** From Retry-After, when the server said how long to wait. */
    readonly retryAfterMs?: number,
    /** The API's problem codes, for branching on what it said rather than on the status alone. */
    readonly codes: readonly ProblemCode[] = [],
    /** For `parts-incomplete`: the part numbers storage lacks (or holds at the wrong size). */
    readonly parts: readonly number[] = [],
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Codes by which the API says an upload itself is over: a retry has to start a new one. */
const GONE: ReadonlySet<ProblemCode> = new Set([
  'upload.not_found',
  'upload.not_pending',
  'upload.not_in_storage',
  'upload.not_multipart',
]);

/** Whether the API no longer has this upload to send to (so its record and resume point go). */
export function isUploadGone(error: unknown): boolean {
  return error instanceof UploadError && error.codes.some((code) => GONE.has(code));
}

/** The fields an HttpErrorResponse carries that the mapping reads. */
export interface HttpFailure {
  status: number;
  error: unknown;
  headers?: { get(name: string): string | null };
}

/** Maps a failed call to the Dropgate API (problem details) to an UploadError. */
export function apiError(failure: HttpFailure): UploadError {
  if (failure.status === 0) {
    return new UploadError('network', 'Dropgate API unreachable — check your connection');
  }
  const problem = asProblem(failure.error);
  if (failure.status === 401) {
    return new UploadError('signed-out', 'Your session ended — sign in again to continue');
  }
  if (failure.status === 403 && problem?.errors.some((e) => e.code === 'auth.insufficient_scope')) {
    return new UploadError('forbidden', 'Your account may not upload files — ask for uploads:write');
  }
  if (failure.status === 429) {
    const retryAfterMs = retryAfter(failure.headers?.get('Retry-After'));
    const seconds = retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined;
    return new UploadError(
      'rate-limited',
      `Too many requests — retrying in ${seconds ?? 'a few'} s`,
      retryAfterMs,
    );
  }
  if (failure.status >= 500) {
    return new UploadError('server', problem?.detail ?? `Dropgate API error (${failure.status})`);
  }
  const codes = problem?.errors.map((e) => e.code) ?? [];
  const detail = problem?.errors.map((e) => e.message).join('; ') || problem?.detail;
  if (failure.status === 409 && codes.includes('upload.parts_incomplete')) {
    return new UploadError(
      'parts-incomplete',
      problem?.detail ?? 'Storage lacks some parts — sending them again',
      undefined,
      codes,
      partsNamed(problem),
    );
  }
  return new UploadError(
    'invalid-request',
    detail ?? `Request refused (${failure.status})`,
    undefined,
    codes,
  );
}

/** The part numbers a `upload.parts_incomplete` problem names in its fields (`parts.<n>`). */
function partsNamed(problem: ProblemDetails | undefined): number[] {
  const numbers = (problem?.errors ?? [])
    .filter((e) => e.code === 'upload.parts_incomplete')
    .map((e) => Number(/^parts\.(\d+)$/.exec(e.field)?.[1]))
    .filter((n) => Number.isInteger(n) && n > 0);
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** Why the API rejected a stored file at completion or at its scan, in words (it deleted the object). */
export function rejectionError(reason: UploadRecord['reason']): UploadError {
  return new UploadError('not-as-declared', `Rejected after upload. ${rejectionText(reason)}`);
}

/** Maps a failed POST to S3 (an XML error body) to an UploadError a person can act on. */
export function storageError(failure: HttpFailure): UploadError {
  if (failure.status === 0) {
    return new UploadError('network', 'Storage unreachable (network/CORS) — check your connection');
  }
  const { code, message } = parseS3Error(typeof failure.error === 'string' ? failure.error : '');
  if (code === 'AccessDenied' && /expired/i.test(message)) {
    return new UploadError('policy-expired', 'This upload link expired — retry');
  }
  if (code === 'BadDigest') {
    return new UploadError('bad-digest', 'A part arrived other than it was read — sending it again');
  }
  if (code === 'EntityTooLarge') {
    return new UploadError('size-mismatch', 'Rejected by storage: file larger than declared');
  }
  if (code === 'EntityTooSmall') {
    return new UploadError('size-mismatch', 'Rejected by storage: file smaller than declared');
  }
  if (code === 'NoSuchBucket') {
    return new UploadError('bucket-missing', 'Rejected by storage: the bucket does not exist');
  }
  if (code === 'SlowDown' || failure.status === 503) {
    return new UploadError(
      'server',
      'Storage is busy — retrying',
      retryAfter(failure.headers?.get('Retry-After')),
    );
  }
  if (failure.status >= 500) {
    return new UploadError('server', `Storage error (${code || failure.status}) — retrying`);
  }
  const reason = message ? `: ${message}` : code ? ` (${code})` : ` (${failure.status})`;
  return new UploadError('policy-rejected', `Rejected by storage${reason}`);
}

/** Code and Message of an S3 `<Error>` body; empty strings when absent. */
export function parseS3Error(xml: string): { code: string; message: string } {
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim() ?? '';
  return { code: field('Code'), message: field('Message') };
}

function asProblem(body: unknown): ProblemDetails | undefined {
  if (typeof body === 'object' && body !== null && 'status' in body && 'errors' in body) {
    return body as ProblemDetails;
  }
  return undefined;
}

function retryAfter(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
