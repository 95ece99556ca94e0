import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  DownloadLink,
  Principal,
  UploadPage,
  UploadRecord,
  UploadStatus,
  UploadUsage,
} from '@dropgate/shared/api-contract';
import { S3Objects } from '@dropgate/api/data-access-s3';
import { UploadsRepository, type Owner, type Upload } from '@dropgate/api/data-access-db';
import { attachmentDisposition } from './content-disposition';
import { MultipartUploadsService } from './multipart-uploads.service';
import { findVisible, isAdmin } from './upload-access';
import { decodeCursor, encodeCursor } from './upload-cursor';
import { badQuery, notAvailable, ownerNeedsAdmin, uploadSettling } from './upload-errors';
import { toUploadRecord } from './upload-record.mapper';
import { stagedKey } from './object-key';
import { UPLOAD_STATUSES } from '@dropgate/shared/api-contract';
import { UploadSettlement, type Settled } from './settlement/upload-settlement.service';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/** Settled uploads that still have an object to delete. */
const DELETABLE: readonly UploadStatus[] = ['scanning', 'held', 'available'];

/** `GET /api/uploads` query parameters, as sent. */
export interface ListQuery {
  status?: unknown;
  limit?: unknown;
  cursor?: unknown;
  owner?: unknown;
}

/** Reading, listing, downloading and deleting recorded uploads, for their owners and for admins. */
@Injectable()
export class UploadRecordsService {
  private cursorKey?: Promise<KeyObject>;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly objects: S3Objects,
    private readonly multipart: MultipartUploadsService,
    private readonly settlement: UploadSettlement,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {}

  async get(id: string, principal: Principal): Promise<UploadRecord> {
    return toUploadRecord(await findVisible(this.uploads, id, principal));
  }

  /** The caller's pending and available bytes, and their quota when there is one. */
  async usage(principal: Principal): Promise<UploadUsage> {
    const usedBytes = await this.uploads.usedBytes({ issuer: principal.issuer, subject: principal.subject });
    const { quotaBytes } = this.settings;
    return quotaBytes > 0 ? { usedBytes, quotaBytes } : { usedBytes };
  }

  /** Newest first; `owner` (a subject, or `*` for everyone) is for `uploads:admin` only. */
  async list(query: ListQuery, principal: Principal): Promise<UploadPage> {
    const limit = query.limit === undefined ? 25 : Number(query.limit);
    if (
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 100 ||
      (typeof query.limit === 'string' && !/^\d+$/.test(query.limit))
    ) {
      throw badQuery('limit', 'limit.invalid', 'limit must be a whole number from 1 to 100');
    }
    if (query.status !== undefined && !UPLOAD_STATUSES.includes(query.status as UploadStatus)) {
      throw badQuery('status', 'status.invalid', `status must be one of ${UPLOAD_STATUSES.join(', ')}`);
    }
    const status = query.status as UploadStatus | undefined;
    let owner: Owner | undefined = { issuer: principal.issuer, subject: principal.subject };
    if (query.owner !== undefined) {
      if (!isAdmin(principal)) throw ownerNeedsAdmin();
      if (typeof query.owner !== 'string' || query.owner === '') {
        throw badQuery('owner', 'field.invalid', 'owner must be a subject, or * for everyone');
      }
      owner = query.owner === '*' ? undefined : { issuer: principal.issuer, subject: query.owner };
    }
    const signature = `${owner ? `${owner.issuer} ${owner.subject}` : '*'}|${status ?? ''}`;
    const key = await this.key();
    let afterId: string | undefined;
    if (query.cursor !== undefined) {
      const position = typeof query.cursor === 'string' ? decodeCursor(query.cursor, key) : undefined;
      if (!position || position.query !== signature) {
        throw badQuery(
          'cursor',
          'cursor.invalid',
          'cursor is not one this API gave for this query; start again without it',
        );
      }
      afterId = position.afterId;
    }
    const rows = await this.uploads.list({ owner, status, afterId, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toUploadRecord),
      ...(rows.length > limit &&
        last && { nextCursor: encodeCursor({ afterId: last.id, query: signature }, key) }),
    };
  }

  /** A short-lived GET that makes storage send the file as an attachment under its own name. */
  async download(id: string, principal: Principal): Promise<DownloadLink> {
    const upload = await findVisible(this.uploads, id, principal);
    if (upload.status !== 'available') throw notAvailable(upload.status);
    const { url, expiresAt } = await this.objects.downloadUrl({
      key: upload.key,
      expiresInSeconds: this.settings.downloadExpiresInSeconds,
      contentDisposition: attachmentDisposition(upload.file_name),
      contentType: upload.content_type,
    });
    return { url, expiresAt: expiresAt.toISOString() };
  }

  /**
   * A pending upload is canceled (its object, or a multipart upload's parts, deleted); a scanning,
   * held or available one loses its object and is marked deleted (the row stays, for audit).
   * Deleting again, or deleting one that ended otherwise, changes nothing. A delete that meets
   * another settler follows it: a pending upload completed meanwhile is then deleted as what it
   * became, so a 204 always means the upload is canceled or deleted, or was never stored.
   */
  async delete(id: string, principal: Principal): Promise<void> {
    let upload = await findVisible(this.uploads, id, principal);
    for (let round = 0; round < 3; round += 1) {
      if (upload.status === 'pending') upload = await this.settlement.settle(upload, (u) => this.cancel(u));
      else if (DELETABLE.includes(upload.status))
        upload = await this.settlement.settle(upload, (u) => this.remove(u));
      else return;
    }
    throw uploadSettling();
  }

  private async cancel(upload: Upload): Promise<Settled> {
    // The object or the parts first: should that fail, the record still says where they are.
    if (upload.method === 'multipart') await this.multipart.abort(upload);
    else await this.objects.delete(stagedKey(upload));
    return { event: 'canceled', fields: { completed_at: new Date() } };
  }

  /** An available upload's object is at its key; a scanning or held one's is still staged. */
  private async remove(upload: Upload): Promise<Settled> {
    await this.objects.delete(upload.status === 'available' ? upload.key : stagedKey(upload));
    return { event: 'deleted', fields: { deleted_at: new Date() } };
  }

  private key(): Promise<KeyObject> {
    this.cursorKey ??= this.uploads.cursorKey().then(
      (hex) => createSecretKey(Buffer.from(hex, 'hex')),
      (error: unknown) => {
        this.cursorKey = undefined;
        throw error;
      },
    );
    return this.cursorKey;
  }
}
