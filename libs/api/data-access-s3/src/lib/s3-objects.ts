import { Inject, Injectable } from '@nestjs/common';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { storageCall } from './storage-errors';
import { RANGED_READ, type RangedReadOptions } from './s3-ranged-read';
import { readVerified, type VerifiedRead } from './s3-verified-read';
import { s3Config, type S3Config } from './s3.config';

export type { VerifiedRead } from './s3-verified-read';

/** S3 deletes at most this many objects in one DeleteObjects request. */
export const DELETE_MANY_MAX = 1000;

/** What HeadObject says about a stored object. */
export interface StoredObject {
  size: number;
  contentType?: string;
  /** Without its quotes: the hex MD5 of a single-part object, `<hex>-<parts>` for multipart. */
  etag?: string;
}

export interface DownloadUrlRequest {
  key: string;
  expiresInSeconds: number;
  /** `response-content-disposition`, as S3 is to send it. */
  contentDisposition: string;
  /** `response-content-type`. */
  contentType: string;
}

/** Objects in the configured bucket: look, read, delete, and sign a download. */
@Injectable()
export class S3Objects {
  /** How large objects are read; a spec may make the ranges small. */
  ranges: RangedReadOptions = RANGED_READ;

  constructor(
    private readonly client: S3Client,
    @Inject(s3Config.KEY) private readonly config: S3Config,
  ) {}

  /** The object's size, type and ETag; undefined when there is no such object. */
  async head(key: string): Promise<StoredObject | undefined> {
    return storageCall('s3:GetObject', this.config.bucket, async () => {
      try {
        const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }), {
          abortSignal: AbortSignal.timeout(10_000),
        });
        return {
          size: head.ContentLength ?? 0,
          contentType: head.ContentType,
          etag: head.ETag?.replace(/^"|"$/g, ''),
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'NotFound') return undefined;
        throw error;
      }
    });
  }

  /** The object if it still has `etag` (without quotes): see readVerified. */
  read(key: string, etag: string, signal?: AbortSignal, size?: number): Promise<VerifiedRead> {
    const { bucket } = this.config;
    return storageCall('s3:GetObject', bucket, () =>
      readVerified(this.client, { bucket, key, etag, size }, this.ranges, signal),
    );
  }

  /** Deletes the object; deleting one that is not there succeeds too, as S3 does. */
  async delete(key: string): Promise<void> {
    await storageCall('s3:DeleteObject', this.config.bucket, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }), {
        abortSignal: AbortSignal.timeout(10_000),
      }),
    );
  }

  /**
   * Deletes up to DELETE_MANY_MAX objects in one DeleteObjects request. Resolves to the keys that
   * S3 could not delete, each with its error code; a key that is not there counts as deleted.
   */
  async deleteMany(keys: readonly string[]): Promise<{ key: string; code: string }[]> {
    if (keys.length === 0) return [];
    if (keys.length > DELETE_MANY_MAX) throw new Error(`at most ${DELETE_MANY_MAX} keys per DeleteObjects`);
    const { Errors = [] } = await storageCall('s3:DeleteObject', this.config.bucket, () =>
      this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.config.bucket,
          Delete: { Objects: keys.map((key) => ({ Key: key })), Quiet: true },
        }),
        { abortSignal: AbortSignal.timeout(30_000) },
      ),
    );
    return Errors.filter((error) => error.Code !== 'NoSuchKey').map((error) => ({
      key: error.Key ?? '',
      code: error.Code ?? 'unknown',
    }));
  }

  /** A presigned GET that makes S3 send the object as an attachment of the given name and type. */
  async downloadUrl(request: DownloadUrlRequest): Promise<{ url: string; expiresAt: Date }> {
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + request.expiresInSeconds * 1000);
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.config.bucket,
        Key: request.key,
        ResponseContentDisposition: request.contentDisposition,
        ResponseContentType: request.contentType,
      }),
      { expiresIn: request.expiresInSeconds },
    );
    return { url, expiresAt };
  }
}
