import { registerAs } from '@nestjs/config';
import { ArrayNotEmpty, IsIn, IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { ConfigError, ToList, ToNumber, validateEnv } from '@dropgate/api/util-config';
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

/** ClamAV's own cap on what it reads (StreamMaxLength, MaxFileSize): 2 GiB − 1. */
export const MAX_SCAN_BYTES = 2 ** 31 - 1;

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

  /** Where clients write; only the server writes under UPLOAD_KEY_PREFIX. */
  @MaxLength(256)
  @Matches(/^([A-Za-z0-9!_.*'()-]+\/)+$/, {
    message:
      'must be folder names ending in "/" (letters, digits and !_.*\'()- only), e.g. incoming/, apart from UPLOAD_KEY_PREFIX',
  })
  UPLOAD_STAGING_PREFIX = 'incoming/';

  /** clamd's StreamMaxLength and MaxFileSize must be at least this; ClamAV reads at most 2 GiB − 1. */
  @ToNumber()
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  @Max(MAX_SCAN_BYTES, { message: `must be at most ${MAX_SCAN_BYTES} (2 GiB − 1, the most ClamAV scans)` })
  UPLOAD_SCAN_MAX_BYTES = 1024 ** 3;

  /** What becomes of files above UPLOAD_SCAN_MAX_BYTES: held for an admin, or available unscanned. */
  @IsIn(['hold', 'allow'], { message: 'must be hold or allow' })
  UPLOAD_SCAN_OVERSIZE = 'hold';

  @ToNumber()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(64)
  UPLOAD_SCAN_CONCURRENCY = 2;

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
  /** Where clients write, before the object is verified, scanned and copied to `keyPrefix`. */
  stagingPrefix: string;
  scan: { maxBytes: number; oversize: 'hold' | 'allow'; concurrency: number };
  expiresInSeconds: number;
  /** Pending and available bytes allowed per principal; 0 for no quota. */
  quotaBytes: number;
  downloadExpiresInSeconds: number;
  reconcileIntervalSeconds: number;
}

export const uploadsConfig = registerAs('uploads', (): UploadsSettings => {
  const env = validateEnv(UploadsEnv, process.env);
  const [staging, final] = [env.UPLOAD_STAGING_PREFIX, env.UPLOAD_KEY_PREFIX];
  // Keys under the final prefix start with a principal's hash, so an empty UPLOAD_KEY_PREFIX
  // cannot meet a staging folder; any other overlap would let a client write a final key.
  if (final !== '' && (staging.startsWith(final) || final.startsWith(staging))) {
    throw new ConfigError(
      'UPLOAD_STAGING_PREFIX',
      `must not contain or lie inside UPLOAD_KEY_PREFIX ("${final}"), which only the server writes (got "${staging}")`,
    );
  }
  return {
    maxFileSize: env.UPLOAD_MAX_FILE_SIZE,
    multipartThreshold: env.UPLOAD_MULTIPART_THRESHOLD,
    multipartExpiresInSeconds: env.UPLOAD_MULTIPART_EXPIRES_SECONDS,
    partUrlExpiresInSeconds: env.UPLOAD_PART_URL_EXPIRES_SECONDS,
    allowedTypes: env.UPLOAD_ALLOWED_TYPES,
    keyPrefix: env.UPLOAD_KEY_PREFIX,
    stagingPrefix: env.UPLOAD_STAGING_PREFIX,
    scan: {
      maxBytes: env.UPLOAD_SCAN_MAX_BYTES,
      oversize: env.UPLOAD_SCAN_OVERSIZE as 'hold' | 'allow',
      concurrency: env.UPLOAD_SCAN_CONCURRENCY,
    },
    expiresInSeconds: env.UPLOAD_POST_EXPIRES_SECONDS,
    quotaBytes: env.UPLOAD_QUOTA_BYTES,
    downloadExpiresInSeconds: env.DOWNLOAD_URL_EXPIRES_SECONDS,
    reconcileIntervalSeconds: env.RECONCILE_INTERVAL_SECONDS,
  };
});
