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

/** Completion: an upload becomes `available` only once its object has been checked. */
@Injectable()
export class UploadCompletionService {
  constructor(
    private readonly objects: S3Objects,
    private readonly multipart: MultipartUploadsService,
    private readonly uploads: UploadsRepository,
    private readonly settlement: UploadSettlement,
  ) {}

  /**
   * Checks the stored object against the record: `available` when it matches, `rejected` (and the
   * object deleted) when it does not. Completing a finished upload returns it as it is.
   */
  async complete(id: string, principal: Principal): Promise<UploadRecord> {
    const upload = await findOwned(this.uploads, id, principal);
    if (upload.status !== 'pending') return toUploadRecord(upload);
    const work =
      upload.method === 'multipart' ? (u: Upload) => this.multipart.join(u) : (u: Upload) => this.check(u);
    return toUploadRecord(await this.settlement.settle(upload, work));
  }

  /** A single POST's object, checked against what was declared. */
  private async check(upload: Upload): Promise<Settled> {
    const stored = await this.objects.head(upload.key);
    if (!stored) throw notInStorage();
    return checkedOutcome(this.objects, upload, stored, {
      size: upload.size,
      contentType: upload.content_type,
      md5: upload.md5,
    });
  }
}
