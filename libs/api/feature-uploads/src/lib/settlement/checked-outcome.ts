import type { S3Objects, StoredObject } from '@dropgate/api/data-access-s3';
import type { Upload } from '@dropgate/api/data-access-db';
import { verifyStored, type Declared } from '../upload-verification';
import { stagedKey } from '../object-key';
import type { Settled } from './upload-settlement.service';
import type { UploadPromotion } from './upload-promotion';

/**
 * Completing, for any method: when the staged object is what was declared, what `promotion`
 * makes of a verified upload (scanning, or available); otherwise `rejected`, the object deleted.
 */
export async function checkedOutcome(
  objects: S3Objects,
  promotion: UploadPromotion,
  upload: Upload,
  stored: StoredObject,
  declared: Declared,
): Promise<Settled> {
  const reason = verifyStored(declared, stored);
  if (reason) {
    await objects.delete(stagedKey(upload));
    return { event: 'rejected', fields: { status_reason: reason, completed_at: new Date() } };
  }
  return promotion.admit(upload, stored, { completed_at: new Date() });
}
