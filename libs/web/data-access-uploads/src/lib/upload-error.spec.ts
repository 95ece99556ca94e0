import { S3_ERROR_BODIES as bodies } from './testing/s3-error-bodies';
import {
  apiError,
  isUploadGone,
  parseS3Error,
  storageError,
  type HttpFailure,
  type UploadErrorKind,
} from './upload-error';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe('storageError', () => {
  it.each<[string, HttpFailure, UploadErrorKind, string]>([
    [
      'an expired policy (Ceph)',
      { status: 403, error: bodies.cephPolicyExpired },
      'policy-expired',
      'This upload link expired — retry',
    ],
    [
      'an expired policy (AWS)',
      { status: 403, error: bodies.awsPolicyExpired },
      'policy-expired',
      'This upload link expired — retry',
    ],
    [
      'a file larger than declared',
      { status: 400, error: bodies.entityTooLarge },
      'size-mismatch',
      'Rejected by storage: file larger than declared',
    ],
    [
      'a file smaller than declared',
      { status: 400, error: bodies.entityTooSmall },
      'size-mismatch',
      'Rejected by storage: file smaller than declared',
    ],
    [
      'another Content-Type',
      { status: 403, error: bodies.wrongContentType },
      'policy-rejected',
      'Rejected by storage: Policy check failed, variable not met condition: Content-Type',
    ],
    [
      'an extra field',
      { status: 403, error: bodies.extraField },
      'policy-rejected',
      'Rejected by storage: Policy missing condition: x-amz-meta-x',
    ],
    [
      'a bad signature',
      { status: 403, error: bodies.badSignature },
      'policy-rejected',
      'Rejected by storage (AccessDenied)',
    ],
    [
      'a missing bucket',
      { status: 404, error: bodies.noSuchBucket },
      'bucket-missing',
      'Rejected by storage: the bucket does not exist',
    ],
    [
      'throttling',
      { status: 503, error: bodies.slowDown, headers: headers({ 'Retry-After': '2' }) },
      'server',
      'Storage is busy — retrying',
    ],
    [
      'an internal error',
      { status: 500, error: bodies.internalError },
      'server',
      'Storage error (InternalError) — retrying',
    ],
    [
      'no answer at all (network or CORS)',
      { status: 0, error: new ProgressEvent('error') },
      'network',
      'Storage unreachable (network/CORS) — check your connection',
    ],
    ['an empty 403', { status: 403, error: '' }, 'policy-rejected', 'Rejected by storage (403)'],
    [
      'a corrupted part',
      { status: 400, error: bodies.badDigest },
      'bad-digest',
      'A part arrived other than it was read — sending it again',
    ],
  ])('should map %s', (_case, failure, kind, message) => {
    const sut = storageError(failure);
    expect(sut.kind).toBe(kind);
    expect(sut.message).toBe(message);
  });

  it('should keep the Retry-After of a throttled POST', () => {
    expect(
      storageError({ status: 503, error: bodies.slowDown, headers: headers({ 'Retry-After': '2' }) })
        .retryAfterMs,
    ).toBe(2000);
  });
});

describe('apiError', () => {
  const problem = (status: number, messages: string[]) => ({
    type: 'urn:dropgate:problem:validation',
    title: 'Request is not valid',
    status,
    detail: messages.join('; '),
    errors: messages.map((message) => ({ field: 'size', code: 'size.too_large', message })),
  });

  it.each<[string, HttpFailure, UploadErrorKind, string]>([
    [
      'a validation problem',
      { status: 400, error: problem(400, ['size 6 MiB is over the limit of 5 MiB']) },
      'invalid-request',
      'size 6 MiB is over the limit of 5 MiB',
    ],
    [
      'the rate limit',
      { status: 429, error: problem(429, ['Rate limit reached']), headers: headers({ 'Retry-After': '7' }) },
      'rate-limited',
      'Too many requests — retrying in 7 s',
    ],
    [
      'a server error',
      { status: 500, error: { ...problem(500, []), detail: 'The server failed' } },
      'server',
      'The server failed',
    ],
    [
      'a proxy error page',
      { status: 502, error: '<html>Bad gateway</html>' },
      'server',
      'Dropgate API error (502)',
    ],
    [
      'an ended session (expired token)',
      {
        status: 401,
        error: { ...problem(401, []), errors: [{ field: '', code: 'auth.expired', message: 'expired' }] },
      },
      'signed-out',
      'Your session ended — sign in again to continue',
    ],
    [
      'a missing scope',
      {
        status: 403,
        error: {
          ...problem(403, []),
          errors: [{ field: '', code: 'auth.insufficient_scope', message: 'needs uploads:write' }],
        },
      },
      'forbidden',
      'Your account may not upload files — ask for uploads:write',
    ],
    [
      'an unreachable API',
      { status: 0, error: null },
      'network',
      'Dropgate API unreachable — check your connection',
    ],
  ])('should map %s', (_case, failure, kind, message) => {
    const sut = apiError(failure);
    expect([sut.kind, sut.message]).toEqual([kind, message]);
  });

  it('should name the parts a 409 upload.parts_incomplete asks for, not call it any 4xx', () => {
    const sut = apiError({
      status: 409,
      error: {
        ...problem(409, []),
        detail: 'Storage does not hold every part as planned; send parts 2, 5, then complete again',
        errors: [
          { field: 'parts.5', code: 'upload.parts_incomplete', message: 'part 5 is missing' },
          {
            field: 'parts.2',
            code: 'upload.parts_incomplete',
            message: 'part 2 has 3 bytes; it must have 4',
          },
        ],
      },
    });
    expect([sut.kind, sut.parts, isUploadGone(sut)]).toEqual(['parts-incomplete', [2, 5], false]);
  });

  it.each([
    ['upload.not_found', 404, true],
    ['upload.not_pending', 409, true],
    ['size.too_large', 400, false],
    ['partNumber.invalid', 400, false],
  ])('should tell an upload the API no longer has (%s) from other refusals', (code, status, gone) => {
    const sut = apiError({
      status,
      error: { ...problem(status, []), errors: [{ field: '', code, message: code }] },
    });
    expect([sut.kind, sut.codes, isUploadGone(sut)]).toEqual(['invalid-request', [code], gone]);
  });

  it('should read Retry-After as seconds', () => {
    expect(
      apiError({ status: 429, error: null, headers: headers({ 'Retry-After': '7' }) }).retryAfterMs,
    ).toBe(7000);
  });
});

describe('parseS3Error', () => {
  it('should read the code and message of a real error body', () => {
    expect(parseS3Error(bodies.wrongContentType)).toEqual({
      code: 'AccessDenied',
      message: 'Policy check failed, variable not met condition: Content-Type',
    });
  });

  it('should return empty strings for a body that is not S3 XML', () => {
    expect(parseS3Error('<html>proxy error</html>')).toEqual({ code: '', message: '' });
  });
});
