import { isoTime as iso, type Upload } from '@dropgate/api/data-access-db';
import type { HeldReason, RejectionReason, UploadRecord } from '@dropgate/shared/api-contract';
import { planOf } from '@dropgate/shared/util-parts';

/** The API's view of a stored upload. */
export function toUploadRecord(upload: Upload): UploadRecord {
  return {
    id: upload.id,
    key: upload.key,
    fileName: upload.file_name,
    contentType: upload.content_type,
    size: upload.size,
    ...(upload.md5 !== null && { md5: upload.md5 }),
    status: upload.status,
    ...statusReason(upload),
    ...(upload.scan !== null && { scan: upload.scan }),
    ...(upload.released_by !== null &&
      upload.released_at !== null && {
        release: { by: upload.released_by, at: iso(upload.released_at), reason: upload.release_reason ?? '' },
      }),
    method: upload.method,
    ...(upload.part_size !== null && planOf(upload.size, upload.part_size)),
    owner: ownerOf(upload),
    createdAt: iso(upload.created_at),
    expiresAt: iso(upload.expires_at),
    ...(upload.completed_at && { completedAt: iso(upload.completed_at) }),
    ...(upload.deleted_at && { deletedAt: iso(upload.deleted_at) }),
  };
}

/** `status_reason` is why it was rejected or held, or what an infected file carried. */
function statusReason(upload: Upload): Pick<UploadRecord, 'reason' | 'signature'> {
  if (upload.status_reason === null) return {};
  if (upload.status === 'infected') return { signature: upload.status_reason };
  if (upload.status === 'rejected' || upload.status === 'expired' || upload.status === 'held') {
    return { reason: upload.status_reason as RejectionReason | HeldReason };
  }
  return {};
}

/** Who uploaded it, as records and events name them. */
export function ownerOf(upload: Upload): UploadRecord['owner'] {
  return {
    issuer: upload.owner_issuer,
    subject: upload.owner_subject,
    ...(upload.owner_name !== null && { name: upload.owner_name }),
  };
}
