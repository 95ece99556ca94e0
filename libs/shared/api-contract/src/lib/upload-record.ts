/**
 * Where an upload is in its life. `pending` until the object is verified; then `available`, or
 * `rejected` (it did not match what was declared), `expired` (never arrived) or `canceled`.
 * `available` ends as `deleted`.
 */
export type UploadStatus = 'pending' | 'available' | 'rejected' | 'expired' | 'canceled' | 'deleted';

/** How the bytes travel: one presigned POST, or S3 multipart with per-part URLs. */
export type UploadMethod = 'post' | 'multipart';

/** Why a record was rejected at completion, or by the reconciler. */
export type RejectionReason = 'size_mismatch' | 'content_type_mismatch' | 'md5_mismatch';

/** Body of `POST /api/uploads`. */
export interface CreateUploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  /** The file's MD5, base64 as in `Content-MD5`; when given, storage and completion check it. */
  md5?: string;
}

/** The record of one upload, as the API returns it. */
export interface UploadRecord {
  id: string;
  key: string;
  fileName: string;
  contentType: string;
  size: number;
  md5?: string;
  status: UploadStatus;
  /** Set when `status` is `rejected`. */
  reason?: RejectionReason;
  method: UploadMethod;
  owner: { issuer: string; subject: string; name?: string };
  createdAt: string;
  expiresAt: string;
  completedAt?: string;
  deletedAt?: string;
}

/** `201` of `POST /api/uploads` for a single POST: the record and the form to send to storage. */
export interface CreatedUpload {
  id: string;
  key: string;
  status: 'pending';
  expiresAt: string;
  post: { url: string; fields: Record<string, string> };
}

/** `GET /api/uploads`: a page, newest first. */
export interface UploadPage {
  items: UploadRecord[];
  /** Opaque; pass it back as `cursor` for the next page. Absent on the last page. */
  nextCursor?: string;
}

/** `GET /api/uploads/:id/download`. */
export interface DownloadLink {
  url: string;
  expiresAt: string;
}
