import { registerAs } from '@nestjs/config';
import { ArrayNotEmpty, IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToList, ToNumber, validateEnv } from '@dropgate/api/util-config';
import {
  DEFAULT_MULTIPART_THRESHOLD,
  S3_MAX_OBJECT_BYTES,
  S3_MAX_POST_BYTES,
} from '@dropgate/shared/util-parts';

export const DEFAULT_ALLOWED_TYPES = [
  'image/*',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'video/mp4',
];

export class UploadsEnv {
  @ToNumber()
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  @Max(S3_MAX_OBJECT_BYTES, {
    message: `must be at most ${S3_MAX_OBJECT_BYTES} (5 TiB, the largest object S3 stores)`,
  })
  UPLOAD_MAX_FILE_SIZE = 100 * 1024 * 1024;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of bytes (0 sends every file in parts)' })
  @Min(0)
  @Max(S3_MAX_POST_BYTES, {
    message: `must be at most ${S3_MAX_POST_BYTES} (5 GiB, the largest single POST S3 accepts)`,
  })
  UPLOAD_MULTIPART_THRESHOLD = DEFAULT_MULTIPART_THRESHOLD;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(60)
  @Max(30 * 24 * 3600, { message: 'must be at most 2592000 (30 days)' })
  UPLOAD_MULTIPART_EXPIRES_SECONDS = 24 * 3600;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(3600, { message: 'must be at most 3600: part URLs are signed just before each part is sent' })
  UPLOAD_PART_URL_EXPIRES_SECONDS = 300;

  @ToList()
  @ArrayNotEmpty({ message: 'must list at least one MIME type' })
  @Matches(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/, {
    each: true,
    message: 'must be a comma-separated list of lower-case MIME types such as image/*,application/pdf',
  })
  UPLOAD_ALLOWED_TYPES: string[] = DEFAULT_ALLOWED_TYPES;

  @MaxLength(256)
  @Matches(/^([A-Za-z0-9!_.*'()-]+\/)*$/, {
    message:
      'must be empty or folder names ending in "/" (letters, digits and !_.*\'()- only), e.g. uploads/',
  })
  UPLOAD_KEY_PREFIX = 'uploads/';

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(7 * 24 * 3600, { message: 'must be at most 604800 (7 days, the longest SigV4 allows)' })
  UPLOAD_POST_EXPIRES_SECONDS = 300;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of bytes (0 for no quota)' })
  @Min(0)
  UPLOAD_QUOTA_BYTES = 0;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(7 * 24 * 3600, { message: 'must be at most 604800 (7 days, the longest SigV4 allows)' })
  DOWNLOAD_URL_EXPIRES_SECONDS = 60;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86_400)
  RECONCILE_INTERVAL_SECONDS = 60;
}

export interface UploadsSettings {
  maxFileSize: number;
  /** Files above this go multipart (see `usesMultipart`). */
  multipartThreshold: number;
  multipartExpiresInSeconds: number;
  partUrlExpiresInSeconds: number;
  allowedTypes: string[];
  keyPrefix: string;
  expiresInSeconds: number;
  /** Pending and available bytes allowed per principal; 0 for no quota. */
  quotaBytes: number;
  downloadExpiresInSeconds: number;
  reconcileIntervalSeconds: number;
}

export const uploadsConfig = registerAs('uploads', (): UploadsSettings => {
  const env = validateEnv(UploadsEnv, process.env);
  return {
    maxFileSize: env.UPLOAD_MAX_FILE_SIZE,
    multipartThreshold: env.UPLOAD_MULTIPART_THRESHOLD,
    multipartExpiresInSeconds: env.UPLOAD_MULTIPART_EXPIRES_SECONDS,
    partUrlExpiresInSeconds: env.UPLOAD_PART_URL_EXPIRES_SECONDS,
    allowedTypes: env.UPLOAD_ALLOWED_TYPES,
    keyPrefix: env.UPLOAD_KEY_PREFIX,
    expiresInSeconds: env.UPLOAD_POST_EXPIRES_SECONDS,
    quotaBytes: env.UPLOAD_QUOTA_BYTES,
    downloadExpiresInSeconds: env.DOWNLOAD_URL_EXPIRES_SECONDS,
    reconcileIntervalSeconds: env.RECONCILE_INTERVAL_SECONDS,
  };
});
