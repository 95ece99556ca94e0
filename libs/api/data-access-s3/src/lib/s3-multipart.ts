import { Inject, Injectable } from '@nestjs/common';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { storageCall } from './storage-errors';
import { s3Config, type S3Config } from './s3.config';

/** A multipart upload in the configured bucket. */
export interface MultipartTarget {
  key: string;
  uploadId: string;
}

export interface PartUrlRequest extends MultipartTarget {
  partNumber: number;
  /** Exactly the part's bytes: signed, so S3 refuses a longer or shorter body. */
  contentLength: number;
  /** Base64 MD5 of the part: signed, so S3 refuses other bytes (400 BadDigest). */
  md5: string;
  expiresInSeconds: number;
}

/** A part S3 holds, as ListParts reports it. */
export interface ListedPart {
  partNumber: number;
  size: number;
  /** Without its quotes. */
  etag: string;
}

/** The signature covers these, so a URL fits one part's exact bytes and nothing else. */
const SIGNED_PART_HEADERS = new Set(['content-length', 'content-md5']);
const TIMEOUT_MS = 10_000;

/** S3's codes for an upload that was completed or aborted. */
const isNoSuchUpload = (error: unknown) => (error as { name?: string }).name === 'NoSuchUpload';

/**
 * Multipart uploads: start, sign part URLs, list, complete and abort. Calls that find the upload
 * gone answer `undefined` (or succeed, for abort) rather than throw, since callers decide what a
 * vanished upload means.
 */
@Injectable()
export class S3Multipart {
  constructor(
    private readonly client: S3Client,
    @Inject(s3Config.KEY) private readonly config: S3Config,
  ) {}

  /** Starts a multipart upload whose object will have this Content-Type; its UploadId. */
  async create(key: string, contentType: string): Promise<string> {
    const created = await storageCall('s3:PutObject', this.config.bucket, () =>
      this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.config.bucket, Key: key, ContentType: contentType }),
        { abortSignal: AbortSignal.timeout(TIMEOUT_MS) },
      ),
    );
    if (!created.UploadId) throw new Error('CreateMultipartUpload answered without an UploadId');
    return created.UploadId;
  }

  /** A presigned UploadPart URL bound to the part's length and MD5. */
  signPart(request: PartUrlRequest): Promise<string> {
    return getSignedUrl(
      this.client,
      new UploadPartCommand({
        Bucket: this.config.bucket,
        Key: request.key,
        UploadId: request.uploadId,
        PartNumber: request.partNumber,
        ContentLength: request.contentLength,
        ContentMD5: request.md5,
      }),
      { expiresIn: request.expiresInSeconds, signableHeaders: SIGNED_PART_HEADERS },
    );
  }

  /** Every part S3 holds, in part order (all pages of ListParts); undefined when the upload is gone. */
  async listParts(target: MultipartTarget): Promise<ListedPart[] | undefined> {
    const parts: ListedPart[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await storageCall('s3:ListMultipartUploadParts', this.config.bucket, async () => {
        try {
          return await this.client.send(
            new ListPartsCommand({
              Bucket: this.config.bucket,
              Key: target.key,
              UploadId: target.uploadId,
              ...(marker !== undefined && { PartNumberMarker: marker }),
            }),
            { abortSignal: AbortSignal.timeout(TIMEOUT_MS) },
          );
        } catch (error) {
          if (isNoSuchUpload(error)) return undefined;
          throw error;
        }
      });
      if (!page) return undefined;
      for (const part of page.Parts ?? []) {
        parts.push({
          partNumber: part.PartNumber ?? 0,
          size: part.Size ?? 0,
          etag: (part.ETag ?? '').replace(/^"|"$/g, ''),
        });
      }
      if (!page.IsTruncated || page.NextPartNumberMarker === undefined) return parts;
      marker = String(page.NextPartNumberMarker);
    }
  }

  /** Joins the parts into the object; false when the upload is gone (completed or aborted). */
  async complete(target: MultipartTarget, parts: readonly ListedPart[]): Promise<boolean> {
    return storageCall('s3:PutObject', this.config.bucket, async () => {
      try {
        await this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.config.bucket,
            Key: target.key,
            UploadId: target.uploadId,
            MultipartUpload: {
              Parts: parts.map((part) => ({ PartNumber: part.partNumber, ETag: `"${part.etag}"` })),
            },
          }),
          // Joining thousands of parts can take S3 a while; it keeps the connection alive meanwhile.
          { abortSignal: AbortSignal.timeout(10 * 60_000) },
        );
        return true;
      } catch (error) {
        if (isNoSuchUpload(error)) return false;
        throw error;
      }
    });
  }

  /** Aborts the upload and frees its parts; one already gone counts as aborted. */
  async abort(target: MultipartTarget): Promise<void> {
    await storageCall('s3:AbortMultipartUpload', this.config.bucket, async () => {
      try {
        await this.client.send(
          new AbortMultipartUploadCommand({
            Bucket: this.config.bucket,
            Key: target.key,
            UploadId: target.uploadId,
          }),
          { abortSignal: AbortSignal.timeout(TIMEOUT_MS) },
        );
      } catch (error) {
        if (!isNoSuchUpload(error)) throw error;
      }
    });
  }
}
