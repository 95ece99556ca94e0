import { Injectable } from '@nestjs/common';
import type { Principal, UploadRecord } from '@dropgate/shared/api-contract';
import { UploadsRepository } from '@dropgate/api/data-access-db';
import { UploadSettlement } from '../settlement/upload-settlement.service';
import { UploadPromotion } from '../settlement/upload-promotion';
import { findVisible } from '../upload-access';
import { notHeld } from '../upload-errors';
import { toUploadRecord } from '../upload-record.mapper';

/**
 * An admin's release of a held upload (one the scanner could not judge): it is promoted as it
 * was verified, and the record keeps who released it, when, and why. A staged object written
 * again since its check is rejected instead.
 */
@Injectable()
export class UploadReleaseService {
  constructor(
    private readonly uploads: UploadsRepository,
    private readonly settlement: UploadSettlement,
    private readonly promotion: UploadPromotion,
  ) {}

  async release(id: string, reason: string, admin: Principal): Promise<UploadRecord> {
    const upload = await findVisible(this.uploads, id, admin);
    if (upload.status !== 'held') throw notHeld(upload.status);
    const released = await this.settlement.settle(upload, (held) =>
      this.promotion.promote(held, {
        scan: 'released',
        released_by: admin.name ? `${admin.subject} (${admin.name})` : admin.subject,
        released_at: new Date(),
        release_reason: reason,
      }),
    );
    if (released.status === 'held') throw notHeld(released.status);
    return toUploadRecord(released);
  }
}
