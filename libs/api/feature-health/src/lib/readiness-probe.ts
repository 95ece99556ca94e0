import { Injectable, Logger } from '@nestjs/common';
import { DatabaseHealth } from '@dropgate/api/data-access-db';
import { S3BucketProbe } from '@dropgate/api/data-access-s3';
import { reuseFor } from './reuse-for';

export type Dependency = 'storage' | 'database';

/** Long enough that a flood of readiness calls costs one HeadBucket and one query a second. */
const PROBE_TTL_MS = 1_000;

/**
 * Which dependencies cannot serve: the bucket (HeadBucket) and the database (migrated, and it
 * answers). Why they cannot goes to the log, once each time it changes; the caller gets only the
 * names, since readiness is public and the reasons name hosts, users and buckets.
 */
@Injectable()
export class ReadinessProbe {
  private readonly logger = new Logger('Readiness');
  private lastReasons = '';

  /** The dependencies that are down, from a probe at most a second old. */
  readonly failing = reuseFor(PROBE_TTL_MS, () => this.probe());

  constructor(
    private readonly bucket: S3BucketProbe,
    private readonly database: DatabaseHealth,
  ) {}

  private async probe(): Promise<Dependency[]> {
    const [storage, database] = await Promise.all([
      this.bucket.check().then(
        () => undefined,
        (error: unknown) =>
          `bucket ${this.bucket.bucket}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
      this.database.problem(),
    ]);
    const reasons: [Dependency, string | undefined][] = [
      ['storage', storage],
      ['database', database],
    ];
    const failing = reasons.filter(([, reason]) => reason !== undefined);
    this.report(failing.map(([name, reason]) => `${name} (${reason})`).join('; '));
    return failing.map(([name]) => name);
  }

  private report(reasons: string): void {
    if (reasons === this.lastReasons) return;
    if (reasons) this.logger.warn(`not ready: ${reasons}`);
    else this.logger.log('ready');
    this.lastReasons = reasons;
  }
}
