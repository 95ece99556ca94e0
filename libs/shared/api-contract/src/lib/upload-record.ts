/**
 * Every status an upload can have, in lifecycle order: the one list the API's checks, the
 * OpenAPI enum, the database's CHECK and the web app's labels come from.
 *
 * `pending` until the object is verified; `scanning` while it is checked for malware; then
 * `available`, `infected` (malware found), `held` (not scanned: too large, encrypted, or beyond
 * the scanner's limits; an admin may release it) or `rejected` (not what was declared). An upload
 * whose object never came is `expired`; one deleted before it was settled is `canceled`. Settled
 * uploads end as `deleted`.
 */
export const UPLOAD_STATUSES = [
  'pending',
  'scanning',
  'available',
  'held',
  'infected',
  'rejected',
  'expired',
  'canceled',
  'deleted',
] as const;

export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** How the bytes travel: one presigned POST, or S3 multipart with per-part URLs. */
export type UploadMethod = 'post' | 'multipart';

/**
 * Why a record was rejected at completion, or by the reconciler. `changed_after_verification`:
 * the object was written again between its check and its promotion, so neither copy is kept.
 */
export const REJECTION_REASONS = [
  'size_mismatch',
  'content_type_mismatch',
  'md5_mismatch',
  'changed_after_verification',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Why an upload is `held` rather than scanned. */
export const HELD_REASONS = ['too_large_to_scan', 'encrypted', 'limits_exceeded'] as const;

export type HeldReason = (typeof HELD_REASONS)[number];

/**
 * How an available upload was scanned: `clean`; `skipped` (too large to scan, and the deployment
 * lets such files through); `disabled` (the deployment scans with a scanner of its own); or
 * `released` (held, then released by an admin).
 */
export const SCAN_RESULTS = ['clean', 'skipped', 'disabled', 'released'] as const;

export type ScanResult = (typeof SCAN_RESULTS)[number];

/** Who released a held upload, when, and why. */
export interface UploadRelease {
  by: string;
  at: string;
  reason: string;
}

/** Body of `POST /api/uploads/:id/release`. */
export interface ReleaseUploadRequest {
  /** Why the held file may be offered for download: kept on the record. */
  reason: string;
}

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
  /** Set when `status` is `rejected` (or `expired` with an object not as declared), or `held`. */
  reason?: RejectionReason | HeldReason;
  /** Set when `status` is `infected`: the scanner's name for what it found. */
  signature?: string;
  /** Set once the upload is available: how it was scanned. */
  scan?: ScanResult;
  /** Set when an admin released the upload from `held`. */
  release?: UploadRelease;
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

/** The most files `POST /api/uploads/batch` creates in one call. */
export const MAX_BATCH_FILES = 100;

/**
 * Body of `POST /api/uploads/batch`: up to MAX_BATCH_FILES files, each as `POST /api/uploads`
 * takes it. All are created, within the quota, or none is.
 */
export interface CreateUploadsBatchRequest {
  files: CreateUploadRequest[];
}

/** `201` of `POST /api/uploads/batch`: one created upload per file, in the order asked. */
export interface CreatedUploadsBatch {
  uploads: CreatedUpload[];
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

/** `GET /api/uploads/usage`: the caller's bytes that count against their quota. */
export interface UploadUsage {
  /** Bytes of the caller's uploads that are (or may be) stored: pending, scanning, held, available. */
  usedBytes: number;
  /** The per-person limit; absent when there is no quota. */
  quotaBytes?: number;
}
