import { Injectable } from '@nestjs/common';
import type { Principal, UploadRecord } from '@dropgate/shared/api-contract';
import { S3Objects } from '@dropgate/api/data-access-s3';
import { UploadsRepository, type Upload } from '@dropgate/api/data-access-db';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadSettlement, type Settled } from './settlement/upload-settlement.service';
import { findOwned } from './upload-access';
import { notInStorage } from './upload-errors';
import { toUploadRecord } from './upload-record.mapper';
import { checkedOutcome } from './settlement/checked-outcome';
import { UploadPromotion } from './settlement/upload-promotion';
import { stagedKey } from './object-key';
import { ScanWorker } from './scanning/scan-worker';

/** Completion: an upload is scanned and promoted only once its staged object has been checked. */
@Injectable()
export class UploadCompletionService {
  constructor(
    private readonly objects: S3Objects,
    private readonly multipart: MultipartUploadsService,
    private readonly uploads: UploadsRepository,
    private readonly settlement: UploadSettlement,
    private readonly promotion: UploadPromotion,
    private readonly scans: ScanWorker,
  ) {}

  /**
   * Checks the staged object against the record: `scanning` when it matches (or `available` when
   * the deployment does not scan), `rejected` (and the object deleted) when it does not.
   * Completing an upload that is past `pending` returns it as it is.
   */
  async complete(id: string, principal: Principal): Promise<UploadRecord> {
    const work = (u: Upload) => (u.method === 'multipart' ? this.multipart.join(u) : this.check(u));
    // Nearly always the owner's pending upload: claimed in the same statement that finds it.
    let settled = await this.settlement.settleOwned(id, principal, ['pending'], work);
    if (!settled) {
      const upload = await findOwned(this.uploads, id, principal);
      if (upload.status !== 'pending') return toUploadRecord(upload);
      settled = await this.settlement.settle(upload, work);
    }
    if (settled.status === 'scanning') this.scans.wake();
    return toUploadRecord(settled);
  }

  /** A single POST's object, checked against what was declared. */
  private async check(upload: Upload): Promise<Settled> {
    const stored = await this.objects.head(stagedKey(upload));
    if (!stored) throw notInStorage();
    return checkedOutcome(this.objects, this.promotion, upload, stored, {
      size: upload.size,
      contentType: upload.content_type,
      md5: upload.md5,
    });
  }
}
