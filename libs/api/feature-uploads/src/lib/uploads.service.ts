import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateUploadRequest,
  CreatedUpload,
  CreatedUploadsBatch,
  ProblemFieldError,
  PresignedPost,
  Principal,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { S3Multipart, S3Presigner } from '@dropgate/api/data-access-s3';
import {
  UploadsRepository,
  uuidV7,
  type InsertManyResult,
  type NewUploadRow,
} from '@dropgate/api/data-access-db';
import { ProblemException } from '@dropgate/api/util-http';
import { countUploadCreated } from '@dropgate/api/util-metrics';
import { buildObjectKey, stagingKeyFor } from './object-key';
import { principalSegment } from './principal-segment';
import { checkUploadRequest } from './upload-rules';
import { planUpload, type UploadPlan } from './upload-plan';
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
    const [created] = await this.createAll([this.prepare(request, principal, new Date())]);
    return created;
  }

  /**
   * Records up to MAX_BATCH_FILES uploads in one statement, all within the quota or none, and
   * answers each as `create` would. A file that breaks a rule fails the whole batch with 400,
   * its errors named by its index (`files.3.contentType`).
   */
  async createBatch(requests: CreateUploadRequest[], principal: Principal): Promise<CreatedUploadsBatch> {
    const now = new Date();
    const errors: ProblemFieldError[] = [];
    const prepared: PreparedUpload[] = [];
    requests.forEach((request, index) => {
      try {
        prepared.push(this.prepare(request, principal, now));
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        errors.push(
          ...error.problem.errors.map((e) => ({
            ...e,
            field: `files.${index}.${e.field}`,
            message: `files.${index}: ${e.message}`,
          })),
        );
      }
    });
    if (errors.length > 0) throw ProblemException.validation(errors);
    return { uploads: await this.createAll(prepared) };
  }

  /** The record of an upload about to be created, after the rules that depend on configuration. */
  private prepare(request: CreateUploadRequest, principal: Principal, now: Date): PreparedUpload {
    const { name, contentType } = checkUploadRequest(request, this.settings);
    const plan = planUpload(request.size, request.method, this.settings.multipartThreshold);
    const id = uuidV7(now.getTime());
    const segment = principalSegment(principal.issuer, principal.subject);
    const key = buildObjectKey(this.settings.keyPrefix, segment, now, id, name);
    // Clients are signed for the staging key only; the server alone writes `key`.
    const stagingKey = stagingKeyFor(key, this.settings.keyPrefix, this.settings.stagingPrefix);
    const multipart = plan.method === 'multipart';
    const lifetime = multipart ? this.settings.multipartExpiresInSeconds : this.settings.expiresInSeconds;
    const expiresAt = new Date(now.getTime() + lifetime * 1000);
    const row: NewUploadRow = {
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
      s3_upload_id: null,
      part_size: multipart ? plan.partSize : null,
      created_at: now,
      expires_at: expiresAt,
      completed_at: null,
      deleted_at: null,
    };
    return { row, plan, stagingKey, expiresAt };
  }

  /**
   * Starts the multipart uploads among `prepared`, records every upload in one statement, and
   * answers each; when the quota is full or the insert fails, aborts what it started.
   */
  private async createAll(prepared: PreparedUpload[]): Promise<CreatedUpload[]> {
    const started = await this.startMultipart(prepared);
    const undo = () => Promise.all(started.map((upload) => this.multipart.abort(upload)));
    let result: InsertManyResult;
    try {
      result = await this.uploads.insertMany(
        prepared.map(({ row }) => row),
        this.settings.quotaBytes,
      );
    } catch (error) {
      await undo().catch(() => undefined);
      throw error;
    }
    if ('quotaExceeded' in result) {
      await undo().catch(() => undefined);
      const { usedBytes, limitBytes } = result.quotaExceeded;
      const size = prepared.reduce((total, { row }) => total + Number(row.size), 0);
      throw quotaExceeded(usedBytes, size, limitBytes);
    }
    for (const { plan } of prepared) countUploadCreated(plan.method);
    return Promise.all(prepared.map((upload) => this.answer(upload)));
  }

  /** Starts a multipart upload for each prepared one that goes in parts; aborts all if one fails. */
  private async startMultipart(prepared: PreparedUpload[]): Promise<{ key: string; uploadId: string }[]> {
    const parts = prepared.filter(({ plan }) => plan.method === 'multipart');
    if (parts.length === 0) return [];
    const results = await Promise.allSettled(
      parts.map(async ({ row, stagingKey }) => {
        const uploadId = await this.multipart.create(stagingKey, row.content_type);
        row.s3_upload_id = uploadId;
        return { key: stagingKey, uploadId };
      }),
    );
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((upload) => this.multipart.abort(upload))).catch(() => undefined);
      throw failed.reason;
    }
    return started;
  }

  /**
   * What the client is told of an upload just recorded, from the row it was recorded with: the
   * form for a POST, the plan for parts.
   */
  private async answer({ row, plan, stagingKey, expiresAt }: PreparedUpload): Promise<CreatedUpload> {
    const { id, key, md5 } = row;
    if (plan.method === 'multipart') {
      const { partSize, partCount } = plan;
      return {
        id,
        key,
        status: 'pending',
        method: 'multipart',
        partSize,
        partCount,
        expiresAt: expiresAt.toISOString(),
      };
    }
    const signed = await this.presigner.presignPost({
      key: stagingKey,
      contentType: row.content_type,
      size: Number(row.size),
      expiresInSeconds: this.settings.expiresInSeconds,
      ...(typeof md5 === 'string' && { md5 }),
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
}

/** An upload's record before it is inserted, and how its bytes will travel. */
interface PreparedUpload {
  row: NewUploadRow;
  plan: UploadPlan;
  stagingKey: string;
  expiresAt: Date;
}
