import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateUploadRequest,
  CreatedUpload,
  PresignedPost,
  Principal,
  UploadRecord,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { S3Objects, S3Presigner } from '@dropgate/api/data-access-s3';
import { UploadsRepository, uuidV7 } from '@dropgate/api/data-access-db';
import { buildObjectKey } from './object-key';
import { principalSegment } from './principal-segment';
import { checkUploadRequest } from './upload-rules';
import { findVisible } from './upload-access';
import { notInStorage, quotaExceeded } from './upload-errors';
import { applyEvent } from './upload-transition';
import { toUploadRecord } from './upload-record.mapper';
import { verifyStored } from './upload-verification';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/**
 * Creating and completing uploads. A policy is signed only once its record is committed, so every
 * object under the prefix has a record; an upload becomes `available` only once its object has
 * been checked. Reading, listing and deleting are UploadRecordsService's.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly presigner: S3Presigner,
    private readonly objects: S3Objects,
    private readonly uploads: UploadsRepository,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {}

  getConfig(): UploadsConfig {
    const { maxFileSize, allowedTypes, expiresInSeconds } = this.settings;
    return { maxFileSize, allowedTypes, expiresInSeconds };
  }

  /** Records a pending upload (within the owner's quota), then signs a POST for exactly it. */
  async create(request: CreateUploadRequest, principal: Principal): Promise<CreatedUpload> {
    const { name, contentType } = checkUploadRequest(request, this.settings);
    const now = new Date();
    const id = uuidV7(now.getTime());
    const segment = principalSegment(principal.issuer, principal.subject);
    const key = buildObjectKey(this.settings.keyPrefix, segment, now, id, name);
    const { expiresInSeconds, quotaBytes } = this.settings;
    const result = await this.uploads.insert(
      {
        id,
        owner_issuer: principal.issuer,
        owner_subject: principal.subject,
        owner_segment: segment,
        owner_name: principal.name ?? null,
        key,
        file_name: name,
        content_type: contentType,
        size: request.size,
        md5: request.md5 ?? null,
        status: 'pending',
        status_reason: null,
        etag: null,
        s3_upload_id: null,
        part_size: null,
        created_at: now,
        expires_at: new Date(now.getTime() + expiresInSeconds * 1000),
        completed_at: null,
        deleted_at: null,
      },
      quotaBytes,
    );
    if ('quotaExceeded' in result) {
      throw quotaExceeded(result.quotaExceeded.usedBytes, request.size, result.quotaExceeded.limitBytes);
    }
    const signed = await this.presigner.presignPost({
      key,
      contentType,
      size: request.size,
      expiresInSeconds,
      ...(request.md5 !== undefined && { md5: request.md5 }),
    });
    return {
      id,
      key,
      status: 'pending',
      expiresAt: signed.expiresAt.toISOString(),
      post: { url: signed.url, fields: signed.fields },
    };
  }

  /** The route existing clients use: the same record, answered in the old shape plus `id`. */
  async createPresignedPost(
    request: CreateUploadRequest,
    principal: Principal,
  ): Promise<PresignedPost & { id: string }> {
    const created = await this.create(request, principal);
    return { id: created.id, ...created.post, key: created.key, expiresAt: created.expiresAt };
  }

  /**
   * Checks the stored object against the record: `available` when it matches, `rejected` (and the
   * object deleted) when it does not. Completing a finished upload returns it as it is.
   */
  async complete(id: string, principal: Principal): Promise<UploadRecord> {
    const upload = await findVisible(this.uploads, id, principal);
    if (upload.status !== 'pending') return toUploadRecord(upload);
    const stored = await this.objects.head(upload.key);
    if (!stored) throw notInStorage();
    const reason = verifyStored(
      { size: upload.size, contentType: upload.content_type, md5: upload.md5 },
      stored,
    );
    if (reason) {
      await this.objects.delete(upload.key);
      const rejected = await applyEvent(this.uploads, upload, 'rejected', {
        status_reason: reason,
        completed_at: new Date(),
      });
      return toUploadRecord(rejected);
    }
    const available = await applyEvent(this.uploads, upload, 'verified', {
      etag: stored.etag ?? null,
      completed_at: new Date(),
    });
    return toUploadRecord(available);
  }
}
