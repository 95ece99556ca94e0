import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { S3BucketProbe } from '@dropgate/api/data-access-s3';

/** Up when HeadBucket on the configured bucket succeeds. */
@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly probe: S3BucketProbe,
    private readonly indicators: HealthIndicatorService,
  ) {}

  get bucketName(): string {
    return this.probe.bucket;
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await this.probe.check();
      return indicator.up({ bucket: this.probe.bucket });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return indicator.down({ bucket: this.probe.bucket, reason });
    }
  }
}
