import { Inject, Injectable, Logger } from '@nestjs/common';
import { DatabaseHealth } from '@dropgate/api/data-access-db';
import { S3BucketProbe } from '@dropgate/api/data-access-s3';
import { SCANNER, type ClamdClient } from '@dropgate/api/data-access-clamav';
import { reuseFor } from './reuse-for';

export type Dependency = 'storage' | 'database';

/** The scanner does not decide readiness: uploads wait in `scanning` while it is down. */
export type ScannerState = 'up' | 'down' | 'off';

export interface Readiness {
  /** The dependencies that are down; the server is ready when there are none. */
  failing: Dependency[];
  scanner: ScannerState;
}

const SCANNER_PING_MS = 2_000;

/** Long enough that a flood of readiness calls costs one HeadBucket and one query a second. */
const PROBE_TTL_MS = 1_000;

/**
 * Which dependencies cannot serve: the bucket (HeadBucket) and the database (migrated, and it
 * answers); and whether the scanner answers PING, which is reported but does not fail readiness.
 * Why they cannot goes to the log, once each time it changes; the caller gets only the names,
 * since readiness is public and the reasons name hosts, users and buckets.
 */
@Injectable()
export class ReadinessProbe {
  private readonly logger = new Logger('Readiness');
  private lastReasons = '';

  /** What is down, from a probe at most a second old. */
  readonly check = reuseFor(PROBE_TTL_MS, () => this.probe());

  constructor(
    private readonly bucket: S3BucketProbe,
    private readonly database: DatabaseHealth,
    @Inject(SCANNER) private readonly scanner: ClamdClient | null,
  ) {}

  private async probe(): Promise<Readiness> {
    const [storage, database, scanner] = await Promise.all([
      this.bucket.check().then(
        () => undefined,
        (error: unknown) =>
          `bucket ${this.bucket.bucket}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
      this.database.problem(),
      this.scanner?.ping(AbortSignal.timeout(SCANNER_PING_MS)).then(
        () => undefined,
        (error: unknown) => `clamd: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ]);
    const reasons: [Dependency, string | undefined][] = [
      ['storage', storage],
      ['database', database],
    ];
    const failing = reasons.filter(([, reason]) => reason !== undefined);
    const notes = failing.map(([name, reason]) => `${name} (${reason})`);
    if (scanner) notes.push(`scanner (${scanner}; uploads wait in scanning)`);
    this.report(notes.join('; '));
    return {
      failing: failing.map(([name]) => name),
      scanner: this.scanner === null ? 'off' : scanner ? 'down' : 'up',
    };
  }

  private report(reasons: string): void {
    if (reasons === this.lastReasons) return;
    if (reasons) this.logger.warn(`not ready: ${reasons}`);
    else this.logger.log('ready');
    this.lastReasons = reasons;
  }
}
