import { Logger } from '@nestjs/common';
import { NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3';
import { ProblemException } from '@dropgate/api/util-http';
import { classifyStorageError, storageCall, type S3Action } from './storage-errors';

/** An error as the SDK throws it for an S3 answer of that name and status. */
const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: status < 500 ? 'client' : 'server',
    $metadata: { httpStatusCode: status },
  });

describe('classifyStorageError', () => {
  it.each<[string, unknown, string, RegExp | undefined]>([
    [
      'AccessDenied',
      s3Error('AccessDenied', 403),
      'misconfigured',
      /allow s3:PutObject on arn:aws:s3:::b1\/\*/,
    ],
    ['an unnamed 403', s3Error('Forbidden', 403), 'misconfigured', /allow s3:PutObject/],
    [
      'NoSuchBucket',
      new NoSuchBucket({ message: 'no', $metadata: { httpStatusCode: 404 } }),
      'misconfigured',
      /create the bucket "b1"/,
    ],
    ['InvalidAccessKeyId', s3Error('InvalidAccessKeyId', 403), 'misconfigured', /AWS_ACCESS_KEY_ID/],
    ['SignatureDoesNotMatch', s3Error('SignatureDoesNotMatch', 403), 'misconfigured', /credentials/],
    ['a region mismatch', s3Error('PermanentRedirect', 301), 'misconfigured', /S3_REGION/],
    ['SlowDown', s3Error('SlowDown', 503), 'unavailable', undefined],
    ['an internal error', s3Error('InternalError', 500), 'unavailable', undefined],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'unavailable',
      undefined,
    ],
    [
      'a timeout',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'unavailable',
      undefined,
    ],
  ])('should sort %s', (_case, error, kind, fix) => {
    const fault = classifyStorageError(error, 's3:PutObject', 'b1');
    expect(fault.kind).toBe(kind);
    if (fix) expect(fault).toMatchObject({ fix: expect.stringMatching(fix) });
  });
});

describe('storageCall', () => {
  const fail = (error: unknown) => () => Promise.reject(error);
  const problemOf = async (action: S3Action, error: unknown) => {
    const thrown = await storageCall(action, 'b1', fail(error)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ProblemException);
    return thrown as ProblemException;
  };

  it('should answer 503 storage.unavailable with Retry-After when storage is down', async () => {
    const sut = await problemOf('s3:GetObject', s3Error('ServiceUnavailable', 503));
    expect(sut.problem.status).toBe(503);
    expect(sut.problem.errors[0].code).toBe('storage.unavailable');
    expect(sut.headers['retry-after']).toBeDefined();
  });

  it('should answer 500 storage.misconfigured without Retry-After, and log the fix once', async () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const first = await problemOf('s3:AbortMultipartUpload', s3Error('AccessDenied', 403));
      await problemOf('s3:AbortMultipartUpload', s3Error('AccessDenied', 403));
      expect(first.problem.status).toBe(500);
      expect(first.problem.errors[0].code).toBe('storage.misconfigured');
      expect(first.headers['retry-after']).toBeUndefined();
      // The answer names the error, not the bucket or the policy to change.
      expect(first.problem.detail).not.toContain('b1');
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toMatch(
        /s3:AbortMultipartUpload.*AccessDenied.*allow s3:AbortMultipartUpload/,
      );
      await problemOf('s3:DeleteObject', s3Error('AccessDenied', 403));
      expect(log).toHaveBeenCalledTimes(2);
    } finally {
      log.mockRestore();
    }
  });

  it('should pass a problem the call chose through as it is', async () => {
    const chosen = ProblemException.validation([
      { field: 'x', code: 'field.invalid', message: 'x is wrong' },
    ]);
    await expect(storageCall('s3:GetObject', 'b1', fail(chosen))).rejects.toBe(chosen);
  });
});
