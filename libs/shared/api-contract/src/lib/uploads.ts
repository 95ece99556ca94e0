/** Body of `POST /api/uploads/presigned-post`: what the client intends to upload. */
export interface PresignedPostRequest {
  /** The file's own name; used only, sanitised, as the last part of the object key. */
  fileName: string;
  /** MIME type the file will be stored with, e.g. `application/pdf`. */
  contentType: string;
  /** Exact size of the file in bytes. */
  size: number;
}

/**
 * A presigned POST: send a `multipart/form-data` POST to `url` with every entry of `fields`
 * first and the file last, in a part named `file`.
 */
export interface PresignedPost {
  /** The upload's record (see `GET /api/uploads/:id`). */
  id: string;
  url: string;
  fields: Record<string, string>;
  /** The object key the file will be stored under. */
  key: string;
  /** When the policy stops being accepted, ISO 8601. */
  expiresAt: string;
}

/** `GET /api/uploads/config`: the rules the API signs by, for clients to check first. */
export interface UploadsConfig {
  maxFileSize: number;
  /** Files above this many bytes are sent in parts (see `usesMultipart`). */
  multipartThreshold: number;
  /** Allowed MIME types; `type/*` allows every subtype. */
  allowedTypes: string[];
  expiresInSeconds: number;
}
