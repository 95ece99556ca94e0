import type { Upload, UploadsRepository } from '@dropgate/api/data-access-db';
import { uploadNotFound, uploadNotPending } from './upload-errors';
import { nextStatus, type UploadEvent } from './upload-lifecycle';

/**
 * Applies a lifecycle event through `nextStatus`, the one place that knows the transitions. A
 * writer that lost a race to another gets the upload as the winner left it.
 */
export async function applyEvent(
  uploads: UploadsRepository,
  upload: Upload,
  event: UploadEvent,
  fields: Parameters<UploadsRepository['updateStatus']>[3] = {},
): Promise<Upload> {
  const to = nextStatus(upload.status, event);
  if (!to) throw uploadNotPending(`An upload that is ${upload.status} cannot be ${event}`);
  if (to === upload.status) return upload;
  const moved = await uploads.updateStatus(upload.id, upload.status, to, fields);
  const current = moved ?? (await uploads.findById(upload.id));
  if (!current) throw uploadNotFound();
  return current;
}
