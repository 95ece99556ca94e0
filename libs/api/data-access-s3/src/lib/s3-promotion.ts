import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CopyObjectCommand, HeadObjectCommand, S3Client, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { MIN_PART_BYTES, S3_MAX_PART_BYTES } from '@dropgate/shared/util-parts';
import { copyRanges, type CopyRange } from './copy-ranges';
import { copySource, isNoSuchObject, isPreconditionFailed, quoted, unquoted } from './s3-conditions';
import { S3Multipart, type ListedPart, type MultipartTarget } from './s3-multipart';
import { storageCall, storageUnavailable } from './storage-errors';
import { s3Config, type S3Config } from './s3.config';

/** A verified object to be copied to its final key. */
export interface PromotionRequest {
  from: string;
  to: string;
  /** The ETag that was verified, without its quotes: the copy happens only if it still holds. */
  etag: string;
  size: number;
  /** The copy's Content-Type; the source's when omitted. */
  contentType?: string;
  /**
   * The source as the caller has just read it with the verified ETag (a HEAD to verify it): the
   * promotion then skips its own HEAD. The copy still requires that ETag.
   */
  source?: { contentType?: string };
}

/** `changed`: the source no longer has the verified ETag (or is gone), and nothing was written. */
export type PromotionOutcome = 'copied' | 'changed';

export interface S3CopyLimits {
  /** Objects up to this size are copied with one CopyObject; S3 copies at most 5 GiB that way. */
  singleCopyMaxBytes: number;
  /** Part size above it, grown as needed to stay within 10,000 parts. */
  partBytes: number;
  /** Part copies in flight at once. */
  concurrency: number;
}

/** Optional provider of `Partial<S3CopyLimits>`; tests lower the limits to copy small objects in parts. */
export const S3_COPY_LIMITS = Symbol('S3_COPY_LIMITS');

export const DEFAULT_COPY_LIMITS: Readonly<S3CopyLimits> = {
  singleCopyMaxBytes: S3_MAX_PART_BYTES,
  partBytes: 512 * 1024 ** 2,
  concurrency: 4,
};

const HEAD_TIMEOUT_MS = 10_000;
// S3 copies up to 5 GiB per request server-side and keeps the connection alive meanwhile.
const COPY_TIMEOUT_MS = 15 * 60_000;

/**
 * Copies a verified object to its final key, server-side, only while it still has the verified
 * ETag: one CopyObject up to 5 GiB, parts copied in parallel above. A changed source answers
 * `changed` and leaves nothing at the target, and a failed multipart copy is aborted.
 */
@Injectable()
export class S3Promotion {
  private readonly limits: S3CopyLimits;
  private readonly logger = new Logger(S3Promotion.name);

  constructor(
    private readonly client: S3Client,
    @Inject(s3Config.KEY) private readonly config: S3Config,
    private readonly multipart: S3Multipart,
    @Optional() @Inject(S3_COPY_LIMITS) limits?: Partial<S3CopyLimits>,
  ) {
    this.limits = { ...DEFAULT_COPY_LIMITS, ...limits };
    const { singleCopyMaxBytes, partBytes, concurrency } = this.limits;
    if (!(singleCopyMaxBytes >= 0 && singleCopyMaxBytes <= S3_MAX_PART_BYTES)) {
      throw new RangeError(`singleCopyMaxBytes must be from 0 to ${S3_MAX_PART_BYTES} (5 GiB)`);
    }
    if (!(partBytes >= MIN_PART_BYTES && partBytes <= S3_MAX_PART_BYTES)) {
      throw new RangeError(
        `partBytes must be from ${MIN_PART_BYTES} (8 MiB) to ${S3_MAX_PART_BYTES} (5 GiB)`,
      );
    }
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new RangeError('concurrency must be a whole number from 1');
    }
  }

  /** Copies `from` to `to` if `from` still has the verified ETag. */
  async promote(request: PromotionRequest): Promise<PromotionOutcome> {
    // Checked first in both paths: it gives the source's Content-Type for a multipart copy, and a
    // refused read is then reported as s3:GetObject, so a refused copy can only be s3:PutObject.
    const source = request.source ?? (await this.headIfUnchanged(request));
    if (!source) return 'changed';
    const contentType = request.contentType ?? source.contentType;
    if (request.size <= this.limits.singleCopyMaxBytes) {
      return this.copyWhole(request, contentType === source.contentType ? undefined : contentType);
    }
    return this.copyInParts(request, contentType ?? 'application/octet-stream');
  }

  /** The source's Content-Type while it has the verified ETag; undefined once it changed or went. */
  private headIfUnchanged(request: PromotionRequest): Promise<{ contentType?: string } | undefined> {
    return storageCall('s3:GetObject', this.config.bucket, async () => {
      try {
        const head = await this.client.send(
          new HeadObjectCommand({
            Bucket: this.config.bucket,
            Key: request.from,
            IfMatch: quoted(request.etag),
          }),
          { abortSignal: AbortSignal.timeout(HEAD_TIMEOUT_MS) },
        );
        return { contentType: head.ContentType };
      } catch (error) {
        if (isPreconditionFailed(error) || isNoSuchObject(error)) return undefined;
        throw error;
      }
    });
  }

  /** One CopyObject; the metadata is copied unless a new Content-Type is given. */
  private copyWhole(
    request: PromotionRequest,
    newContentType: string | undefined,
  ): Promise<PromotionOutcome> {
    const command = new CopyObjectCommand({
      Bucket: this.config.bucket,
      Key: request.to,
      CopySource: copySource(this.config.bucket, request.from),
      CopySourceIfMatch: quoted(request.etag),
      ...(newContentType === undefined
        ? { MetadataDirective: 'COPY' as const }
        : { MetadataDirective: 'REPLACE' as const, ContentType: newContentType }),
    });
    this.addRadosGatewayCondition(command, request.etag);
    return storageCall('s3:PutObject', this.config.bucket, async () => {
      try {
        await this.client.send(command, { abortSignal: AbortSignal.timeout(COPY_TIMEOUT_MS) });
        return 'copied';
      } catch (error) {
        if (isPreconditionFailed(error) || isNoSuchObject(error)) return 'changed';
        throw error;
      }
    });
  }

  /**
   * Ceph's RADOS Gateway (Pacific at least) reads a copy's condition from the older header name
   * `x-amz-copy-if-match` and ignores `x-amz-copy-source-if-match`, so for a custom endpoint the
   * condition is sent under both names. AWS gets only the standard one.
   */
  private addRadosGatewayCondition(command: CopyObjectCommand, etag: string): void {
    if (this.config.endpoint === undefined) return;
    command.middlewareStack.add(
      (next) => (args) => {
        const { request } = args as { request?: { headers?: Record<string, string> } };
        if (request?.headers) request.headers['x-amz-copy-if-match'] = quoted(etag);
        return next(args);
      },
      { step: 'build', name: 'radosGatewayCopyIfMatch' },
    );
  }

  /** CreateMultipartUpload, parts copied a few at a time, Complete; aborted unless it completes. */
  private async copyInParts(request: PromotionRequest, contentType: string): Promise<PromotionOutcome> {
    const target = { key: request.to, uploadId: await this.multipart.create(request.to, contentType) };
    let outcome: PromotionOutcome | undefined;
    try {
      const parts = await this.copyParts(request, target);
      // RGW ignores the condition on UploadPartCopy, so the source is checked again once every
      // part is copied: a change meanwhile is caught before the copy is made whole.
      if (parts === 'changed' || !(await this.headIfUnchanged(request))) {
        outcome = 'changed';
        return outcome;
      }
      if (!(await this.multipart.complete(target, parts))) {
        throw storageUnavailable('NoSuchUpload');
      }
      outcome = 'copied';
      return outcome;
    } finally {
      if (outcome !== 'copied') await this.abortQuietly(target);
    }
  }

  /** Copies every part, `concurrency` at a time; `changed` as soon as one finds the source changed. */
  private async copyParts(
    request: PromotionRequest,
    target: MultipartTarget,
  ): Promise<ListedPart[] | 'changed'> {
    const ranges = copyRanges(request.size, this.limits.partBytes);
    const parts: ListedPart[] = [];
    // One failure stops the rest: parts still in flight are cancelled, none is started.
    const stop = new AbortController();
    let changed = false;
    let failure: { error: unknown } | undefined;
    let next = 0;
    const worker = async () => {
      while (next < ranges.length && !stop.signal.aborted) {
        const range = ranges[next++];
        try {
          const etag = await this.copyPart(request, target, range, stop.signal);
          if (etag === undefined) {
            changed = true;
            stop.abort();
          } else {
            parts.push({ partNumber: range.partNumber, size: range.end - range.start, etag });
          }
        } catch (error) {
          // The first failure is the cause; those of the parts it cancelled are not.
          failure ??= { error };
          stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.limits.concurrency, ranges.length) }, worker));
    if (changed) return 'changed';
    if (failure) throw failure.error;
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** The copied part's ETag, without quotes; undefined when the source changed. */
  private copyPart(
    request: PromotionRequest,
    target: MultipartTarget,
    range: CopyRange,
    stop: AbortSignal,
  ): Promise<string | undefined> {
    return storageCall('s3:PutObject', this.config.bucket, async () => {
      try {
        const copied = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.config.bucket,
            Key: target.key,
            UploadId: target.uploadId,
            PartNumber: range.partNumber,
            CopySource: copySource(this.config.bucket, request.from),
            CopySourceIfMatch: quoted(request.etag),
            CopySourceRange: `bytes=${range.start}-${range.end - 1}`,
          }),
          { abortSignal: AbortSignal.any([stop, AbortSignal.timeout(COPY_TIMEOUT_MS)]) },
        );
        const etag = copied.CopyPartResult?.ETag;
        if (!etag) throw new Error('UploadPartCopy answered without an ETag');
        return unquoted(etag);
      } catch (error) {
        if (isPreconditionFailed(error) || isNoSuchObject(error)) return undefined;
        throw error;
      }
    });
  }

  /**
   * Aborts without hiding the outcome or the error that led here. Should the abort fail too, the
   * bucket's lifecycle rule removes the parts within a day.
   */
  private async abortQuietly(target: MultipartTarget): Promise<void> {
    try {
      await this.multipart.abort(target);
    } catch (error) {
      this.logger.warn(
        `could not abort the multipart copy to ${target.key}: ${(error as Error).message ?? String(error)}`,
      );
    }
  }
}
