import { ProblemException, problem } from '@dropgate/api/util-http';
import { formatBytes } from './format-bytes';

/** 404 for an id that does not exist, is malformed, or belongs to someone else: existence never leaks. */
export function uploadNotFound(): ProblemException {
  const detail = 'No upload with this id is visible to you';
  return new ProblemException(
    problem(404, 'upload-not-found', 'Upload not found', detail, [
      { field: 'id', code: 'upload.not_found', message: detail },
    ]),
  );
}

/** 409: complete was called before storage has the object. */
export function notInStorage(): ProblemException {
  const detail = 'Storage has no object for this upload yet: send the file first, then complete it';
  return new ProblemException(
    problem(409, 'upload-not-in-storage', 'Not in storage yet', detail, [
      { field: '', code: 'upload.not_in_storage', message: detail },
    ]),
  );
}

/** 409: the owner's pending and available bytes, plus this file, would pass the quota. */
export function quotaExceeded(usedBytes: number, size: number, limitBytes: number): ProblemException {
  const detail = `Quota exceeded: ${formatBytes(usedBytes)} used of ${formatBytes(limitBytes)} (${usedBytes} of ${limitBytes} bytes); this file needs ${formatBytes(size)}`;
  return new ProblemException(
    problem(409, 'quota-exceeded', 'Quota exceeded', detail, [
      { field: 'size', code: 'quota.exceeded', message: detail },
    ]),
  );
}

/** 409: only an `available` upload can be downloaded. */
export function notAvailable(status: string): ProblemException {
  const detail = `This upload is ${status}; only available uploads can be downloaded`;
  return new ProblemException(
    problem(409, 'upload-not-available', 'Upload not available', detail, [
      { field: '', code: 'upload.not_available', message: detail },
    ]),
  );
}

/** 400 for a list query that cannot be run, naming the parameter. */
export function badQuery(
  field: string,
  code: 'cursor.invalid' | 'status.invalid' | 'limit.invalid',
  message: string,
) {
  return ProblemException.validation([{ field, code, message }]);
}

/** 403: `owner` lists other people's uploads, which only `uploads:admin` may do. */
export function ownerNeedsAdmin(): ProblemException {
  const detail = 'Listing by owner needs the scope uploads:admin';
  return new ProblemException(
    problem(403, 'auth-insufficient-scope', 'Insufficient scope', detail, [
      { field: 'owner', code: 'auth.insufficient_scope', message: detail },
    ]),
    { 'www-authenticate': 'Bearer realm="dropgate", error="insufficient_scope", scope="uploads:admin"' },
  );
}
