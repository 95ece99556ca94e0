import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNoSuchObject, isPreconditionFailed, quoted } from './s3-conditions';
import { rangedStream, readRange, type RangedReadOptions } from './s3-ranged-read';

/**
 * An object read only if it still has the ETag that was verified: its bytes, or why there are
 * none (`changed`: another ETag; `missing`: no such object).
 */
export type VerifiedRead =
  { status: 'found'; body: Readable; size: number } | { status: 'changed' } | { status: 'missing' };

/** The object to read: `etag` without quotes; `size`, when known, lets a large one be read in ranges. */
export interface VerifiedObject {
  bucket: string;
  key: string;
  etag: string;
  size?: number;
}

/**
 * Streams the object if it still has its ETag, so the bytes are those that were verified. An
 * object larger than one range, whose size is known, is read several ranges at a time (each with
 * the same condition). The caller consumes or destroys the body; `signal` cancels the requests
 * and the body. S3's errors other than those two answers are thrown as the SDK throws them.
 */
export async function readVerified(
  client: S3Client,
  { bucket, key, etag, size }: VerifiedObject,
  ranges: RangedReadOptions,
  signal?: AbortSignal,
): Promise<VerifiedRead> {
  try {
    if (size !== undefined && size > ranges.rangeBytes) {
      const target = { client, bucket, key, etag };
      const first = await readRange(target, 0, ranges.rangeBytes - 1, signal ?? new AbortController().signal);
      return { status: 'found', body: rangedStream(target, size, first, ranges, signal), size };
    }
    const object = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: quoted(etag) }),
      {
        abortSignal: signal,
      },
    );
    if (!(object.Body instanceof Readable)) throw new Error('GetObject answered without a Node stream');
    return { status: 'found', body: object.Body, size: object.ContentLength ?? 0 };
  } catch (error) {
    if (isPreconditionFailed(error)) return { status: 'changed' };
    if (isNoSuchObject(error)) return { status: 'missing' };
    throw error;
  }
}
