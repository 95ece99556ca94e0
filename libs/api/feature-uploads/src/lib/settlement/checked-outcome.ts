import type { S3Objects, StoredObject } from '@dropgate/api/data-access-s3';
import type { Upload } from '@dropgate/api/data-access-db';
import { verifyStored, type Declared } from '../upload-verification';
import type { Settled } from './upload-settlement.service';

/**
 * Completing, for any method: `verified` when the stored object is what was declared, otherwise
 * `rejected` with the object deleted. A verified object whose upload another settler moved on
 * meanwhile (canceled, expired) is deleted too: no object stays without a live record.
 */
export async function checkedOutcome(
  objects: S3Objects,
  upload: Upload,
  stored: StoredObject,
  declared: Declared,
): Promise<Settled> {
  const reason = verifyStored(declared, stored);
  if (reason) {
    await objects.delete(upload.key);
    return { event: 'rejected', fields: { status_reason: reason, completed_at: new Date() } };
  }
  return {
    event: 'verified',
    fields: { etag: stored.etag ?? null, completed_at: new Date() },
    undo: (current) => (current.status === 'available' ? Promise.resolve() : objects.delete(upload.key)),
  };
}
