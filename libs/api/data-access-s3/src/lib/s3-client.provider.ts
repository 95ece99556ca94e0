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
    }),
};
