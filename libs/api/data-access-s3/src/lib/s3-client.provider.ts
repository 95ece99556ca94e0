import type { Provider } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import { s3Config, type S3Config } from './s3.config';

/** One S3 client per process; credentials come from the standard AWS chain (env, profile, role). */
export const s3ClientProvider: Provider = {
  provide: S3Client,
  inject: [s3Config.KEY],
  useFactory: (config: S3Config) =>
    new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      // Health checks should fail fast rather than queue behind retries.
      maxAttempts: 2,
      // Checksums only where S3 demands them: a presigned UploadPart must not carry an SDK
      // checksum of an empty body, and parts are already bound to their Content-MD5.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
};
