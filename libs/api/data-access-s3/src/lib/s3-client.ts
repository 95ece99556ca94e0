import { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from './s3.config';

/**
 * An S3 client for `config`; credentials come from the standard AWS chain (env, profile, role).
 * One per process, and one in the scan thread.
 */
export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    // Health checks should fail fast rather than queue behind retries.
    maxAttempts: 2,
    // Checksums only where S3 demands them: a presigned UploadPart must not carry an SDK
    // checksum of an empty body, and parts are already bound to their Content-MD5.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}
