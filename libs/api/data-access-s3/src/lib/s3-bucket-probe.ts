import { Inject, Injectable } from '@nestjs/common';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Config, type S3Config } from './s3.config';

/** Whether the configured bucket can be reached with the configured credentials. */
@Injectable()
export class S3BucketProbe {
  constructor(
    private readonly client: S3Client,
    @Inject(s3Config.KEY) private readonly config: S3Config,
  ) {}

  get bucket(): string {
    return this.config.bucket;
  }

  /** Resolves when HeadBucket succeeds within the timeout; rejects with the reason otherwise. */
  async check(timeoutMs = 3000): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
  }
}
