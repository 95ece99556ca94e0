import { registerAs } from '@nestjs/config';
import { ArrayNotEmpty, IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToList, ToNumber, validateEnv } from '@dropgate/api/util-config';

/** S3 refuses a single POST upload larger than 5 GiB. */
export const S3_POST_MAX_BYTES = 5 * 1024 ** 3;

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
  @Max(S3_POST_MAX_BYTES, {
    message: `must be at most ${S3_POST_MAX_BYTES} (5 GiB, the largest single POST S3 accepts)`,
  })
  UPLOAD_MAX_FILE_SIZE = 100 * 1024 * 1024;

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
    allowedTypes: env.UPLOAD_ALLOWED_TYPES,
    keyPrefix: env.UPLOAD_KEY_PREFIX,
    expiresInSeconds: env.UPLOAD_POST_EXPIRES_SECONDS,
    quotaBytes: env.UPLOAD_QUOTA_BYTES,
    downloadExpiresInSeconds: env.DOWNLOAD_URL_EXPIRES_SECONDS,
    reconcileIntervalSeconds: env.RECONCILE_INTERVAL_SECONDS,
  };
});
