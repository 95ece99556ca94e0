import {
  STATUS_EVENTS,
  type UploadEventData,
  type UploadStatus,
  type WebhookEvent,
} from '@dropgate/shared/api-contract';
import { isoTime as iso, newEventId, type OutboxEvent, type Upload } from '@dropgate/api/data-access-db';
import { ownerOf } from '../upload-record.mapper';

/**
 * The event that tells subscribers an upload moved to `to`, as the upload will be once the move
 * is written; undefined when the status did not change or is one nobody is told about.
 */
export function uploadEvent(upload: Upload, from: UploadStatus, to: UploadStatus): OutboxEvent | undefined {
  const type = STATUS_EVENTS[to];
  if (type === null || from === to) return undefined;
  const now = new Date();
  const event: WebhookEvent = {
    type,
    timestamp: now.toISOString(),
    data: eventData({ ...upload, status: to }),
  };
  return { id: newEventId(now), type, body: JSON.stringify(event) };
}

/** An upload as events describe it: no presigned URLs, no tokens. */
export function eventData(upload: Upload): UploadEventData {
  return {
    id: upload.id,
    status: upload.status,
    ...(upload.status_reason !== null && { statusReason: upload.status_reason }),
    key: upload.key,
    fileName: upload.file_name,
    contentType: upload.content_type,
    size: upload.size,
    ...(upload.etag !== null && { etag: upload.etag }),
    owner: ownerOf(upload),
    createdAt: iso(upload.created_at),
    ...(upload.completed_at && { completedAt: iso(upload.completed_at) }),
    ...(upload.deleted_at && { deletedAt: iso(upload.deleted_at) }),
  };
}
