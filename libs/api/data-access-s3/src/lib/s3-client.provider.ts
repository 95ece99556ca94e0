import type { Provider } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from './s3-client';
import { s3Config } from './s3.config';

/** One S3 client per process (see createS3Client). */
export const s3ClientProvider: Provider = {
  provide: S3Client,
  inject: [s3Config.KEY],
  useFactory: createS3Client,
};
