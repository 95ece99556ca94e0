import { AuthError, ProblemException, problemFor } from '@dropgate/api/util-http';
import { formatBytes } from './format-bytes';

/** 404 for an id that does not exist, is malformed, or belongs to someone else: existence never leaks. */
export function uploadNotFound(): ProblemException {
  const detail = 'No upload with this id is visible to you';
  return problemFor('upload.not_found', detail, { field: 'id' });
}

/** 409: complete was called before storage has the object. */
export function notInStorage(): ProblemException {
  const detail = 'Storage has no object for this upload yet: send the file first, then complete it';
  return problemFor('upload.not_in_storage', detail);
}

/** 409: the owner's pending and available bytes, plus this file, would pass the quota. */
export function quotaExceeded(usedBytes: number, size: number, limitBytes: number): ProblemException {
  const detail = `Quota exceeded: ${formatBytes(usedBytes)} used of ${formatBytes(limitBytes)} (${usedBytes} of ${limitBytes} bytes); this file needs ${formatBytes(size)}`;
  return problemFor('quota.exceeded', detail, { field: 'size' });
}

/** 409: only an `available` upload can be downloaded. */
export function notAvailable(status: string): ProblemException {
  const detail = `This upload is ${status}; only available uploads can be downloaded`;
  return problemFor('upload.not_available', detail);
}

/** 400 for a list query that cannot be run, naming the parameter. */
export function badQuery(
  field: string,
  code: 'cursor.invalid' | 'status.invalid' | 'limit.invalid' | 'field.invalid',
  message: string,
) {
  return ProblemException.validation([{ field, code, message }]);
}

/** 403: `owner` lists other people's uploads, which only `uploads:admin` may do. */
export function ownerNeedsAdmin(): ProblemException {
  return new AuthError('insufficient_scope', 'uploads:admin', {
    field: 'owner',
    detail: 'Listing by owner needs the scope uploads:admin',
  });
}

/** 409: parts are signed, listed and joined only for a pending multipart upload. */
export function notMultipart(): ProblemException {
  const detail = 'This upload is sent as one POST, not in parts';
  return problemFor('upload.not_multipart', detail);
}

/** 409 `upload.not_pending`: the upload has left `pending` (or its time), and `detail` says how. */
export function uploadNotPending(detail: string): ProblemException {
  return problemFor('upload.not_pending', detail);
}

/** 409: the upload can no longer take parts (completed, canceled, or past its expiry). */
export function notPending(status: string, expiresAt?: Date): ProblemException {
  return uploadNotPending(
    status === 'pending' && expiresAt
      ? `This upload expired at ${expiresAt.toISOString()}; start a new one`
      : `This upload is ${status}; parts can only be sent to a pending upload`,
  );
}

/** What complete found wrong with the stored parts: missing ones, and ones of the wrong size. */
export interface PartShortfall {
  missing: number[];
  wrongSize: { partNumber: number; size: number; expected: number }[];
}

/** 409 `upload.parts_incomplete`, naming every part to send (again). */
export function partsIncomplete({ missing, wrongSize }: PartShortfall): ProblemException {
  const toSend = [...missing, ...wrongSize.map((p) => p.partNumber)].sort((a, b) => a - b);
  const detail = `Storage does not hold every part as planned; send part${toSend.length === 1 ? '' : 's'} ${ranges(toSend)}, then complete again`;
  return problemFor('upload.parts_incomplete', detail, {
    errors: [
      ...missing.slice(0, 1000).map((partNumber) => ({
        field: `parts.${partNumber}`,
        code: 'upload.parts_incomplete' as const,
        message: `part ${partNumber} is missing`,
      })),
      ...wrongSize.slice(0, 1000).map(({ partNumber, size, expected }) => ({
        field: `parts.${partNumber}`,
        code: 'upload.parts_incomplete' as const,
        message: `part ${partNumber} has ${size} bytes; it must have ${expected}`,
      })),
    ],
  });
}

/** `1-3, 7, 9-10`: part numbers, sorted, as ranges. */
function ranges(numbers: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j += 1;
    out.push(i === j ? `${numbers[i]}` : `${numbers[i]}-${numbers[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** 409: storage no longer holds the upload's parts (aborted, or expired by the bucket's rule). */
export function multipartGone(): ProblemException {
  return uploadNotPending(
    'Storage no longer holds this upload’s parts (aborted or expired); start a new upload',
  );
}

/**
 * 409: another request (or the reconciler) is settling this upload right now: completing,
 * canceling or deleting it. Nothing was done; ask again in a moment to see how it ended.
 */
export function uploadSettling(): ProblemException {
  const detail = 'This upload is being completed or deleted by another request; try again in a few seconds';
  return problemFor('upload.settling', detail, { headers: { 'retry-after': '2' } });
}

/** 409: only a held upload can be released. */
export function notHeld(status: string): ProblemException {
  const detail = `This upload is ${status}; only held uploads can be released`;
  return problemFor('upload.not_held', detail);
}
