import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateUploadRequest,
  CreatedUpload,
  PresignedPost,
  Principal,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { S3Multipart, S3Presigner } from '@dropgate/api/data-access-s3';
import { UploadsRepository, uuidV7, type Upload } from '@dropgate/api/data-access-db';
import { countUploadCreated } from '@dropgate/api/util-metrics';
import { buildObjectKey, stagingKeyFor } from './object-key';
import { principalSegment } from './principal-segment';
import { checkUploadRequest } from './upload-rules';
import { planUpload } from './upload-plan';
import { quotaExceeded } from './upload-errors';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/**
 * Creating uploads. A policy is signed only once its record is committed, and only for the
 * upload's staging key, so every object a client can write has a record and no client can write
 * a final key; a multipart upload is started first, and aborted when its record
 * cannot be written. Completing is UploadCompletionService's, parts MultipartUploadsService's,
 * reading, listing and deleting UploadRecordsService's.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly presigner: S3Presigner,
    private readonly multipart: S3Multipart,
    private readonly uploads: UploadsRepository,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {}

  getConfig(): UploadsConfig {
    const { maxFileSize, multipartThreshold, allowedTypes, expiresInSeconds } = this.settings;
    return { maxFileSize, multipartThreshold, allowedTypes, expiresInSeconds };
  }

  /**
   * Records a pending upload (within the owner's quota), then signs a POST for exactly it; or,
   * for a file going in parts, starts the multipart upload and records it with its plan.
   */
  async create(request: CreateUploadRequest, principal: Principal): Promise<CreatedUpload> {
    const { name, contentType } = checkUploadRequest(request, this.settings);
    const plan = planUpload(request.size, request.method, this.settings.multipartThreshold);
    const now = new Date();
    const id = uuidV7(now.getTime());
    const segment = principalSegment(principal.issuer, principal.subject);
    const key = buildObjectKey(this.settings.keyPrefix, segment, now, id, name);
    // Clients are signed for the staging key only; the server alone writes `key`.
    const stagingKey = stagingKeyFor(key, this.settings.keyPrefix, this.settings.stagingPrefix);
    const multipart = plan.method === 'multipart';
    const lifetime = multipart ? this.settings.multipartExpiresInSeconds : this.settings.expiresInSeconds;
    const uploadId = multipart ? await this.multipart.create(stagingKey, contentType) : null;
    const upload = await this.insert(
      {
        id,
        owner_issuer: principal.issuer,
        owner_subject: principal.subject,
        owner_segment: segment,
        owner_name: principal.name ?? null,
        key,
        staging_key: stagingKey,
        file_name: name,
        content_type: contentType,
        size: request.size,
        md5: request.md5 ?? null,
        status: 'pending',
        status_reason: null,
        etag: null,
        method: plan.method,
        s3_upload_id: uploadId,
        part_size: multipart ? plan.partSize : null,
        created_at: now,
        expires_at: new Date(now.getTime() + lifetime * 1000),
        completed_at: null,
        deleted_at: null,
      },
      () => (uploadId ? this.multipart.abort({ key: stagingKey, uploadId }) : Promise.resolve()),
    );
    countUploadCreated(plan.method);
    const expiresAt = upload.expires_at.toISOString();
    if (plan.method === 'multipart') {
      const { partSize, partCount } = plan;
      return { id, key, status: 'pending', method: 'multipart', partSize, partCount, expiresAt };
    }
    const signed = await this.presigner.presignPost({
      key: stagingKey,
      contentType,
      size: request.size,
      expiresInSeconds: this.settings.expiresInSeconds,
      ...(upload.md5 !== null && { md5: upload.md5 }),
    });
    return {
      id,
      key,
      status: 'pending',
      method: 'post',
      expiresAt: signed.expiresAt.toISOString(),
      post: { url: signed.url, fields: signed.fields },
    };
  }

  /** The route existing clients use: the same record, answered in the old shape plus `id`. */
  async createPresignedPost(
    request: CreateUploadRequest,
    principal: Principal,
  ): Promise<PresignedPost & { id: string }> {
    const created = await this.create({ ...request, method: 'post' }, principal);
    if (created.method !== 'post') throw new Error('a POST was asked for');
    return { id: created.id, ...created.post, key: created.key, expiresAt: created.expiresAt };
  }

  /** Inserts the record; when the quota is full or the insert fails, undoes what was started first. */
  private async insert(
    row: Parameters<UploadsRepository['insert']>[0],
    undo: () => Promise<void>,
  ): Promise<Upload> {
    let result: Awaited<ReturnType<UploadsRepository['insert']>>;
    try {
      result = await this.uploads.insert(row, this.settings.quotaBytes);
    } catch (error) {
      await undo().catch(() => undefined);
      throw error;
    }
    if ('quotaExceeded' in result) {
      await undo().catch(() => undefined);
      const { usedBytes, limitBytes } = result.quotaExceeded;
      throw quotaExceeded(usedBytes, Number(row.size), limitBytes);
    }
    return result.upload;
  }
}
