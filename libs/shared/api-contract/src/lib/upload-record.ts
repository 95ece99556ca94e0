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
  /**
   * The file's MD5, base64 as in `Content-MD5`; when given, storage and completion check it. For a
   * single POST only: multipart uploads carry an MD5 per part instead.
   */
  md5?: string;
  /**
   * `multipart` to send in parts whatever the size; `post` for one POST (up to 5 GiB). Without it,
   * files above the API's `multipartThreshold` go multipart.
   */
  method?: UploadMethod;
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
  /** Multipart only: every part but the last has this many bytes. */
  partSize?: number;
  /** Multipart only. */
  partCount?: number;
  owner: { issuer: string; subject: string; name?: string };
  createdAt: string;
  expiresAt: string;
  completedAt?: string;
  deletedAt?: string;
}

/** `201` of `POST /api/uploads` for a single POST: the record and the form to send to storage. */
export interface CreatedPostUpload {
  id: string;
  key: string;
  status: 'pending';
  method: 'post';
  expiresAt: string;
  post: { url: string; fields: Record<string, string> };
}

/**
 * `201` of `POST /api/uploads` for a multipart upload: how to cut the file. Sign parts with
 * `POST /api/uploads/:id/parts`, PUT them, then complete. `expiresAt` is when the upload lapses.
 */
export interface CreatedMultipartUpload {
  id: string;
  key: string;
  status: 'pending';
  method: 'multipart';
  partSize: number;
  partCount: number;
  expiresAt: string;
}

export type CreatedUpload = CreatedPostUpload | CreatedMultipartUpload;

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

/** `GET /api/uploads/usage`: the caller's bytes that count against their quota. */
export interface UploadUsage {
  /** Bytes of the caller's pending and available uploads. */
  usedBytes: number;
  /** The per-person limit; absent when there is no quota. */
  quotaBytes?: number;
}
