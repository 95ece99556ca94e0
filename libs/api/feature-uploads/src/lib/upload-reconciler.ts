import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { S3Objects } from '@dropgate/api/data-access-s3';
import {
  IdempotencyKeysRepository,
  StagingSweepsRepository,
  UploadsRepository,
  type StagingSweep,
  type Upload,
} from '@dropgate/api/data-access-db';
import { JobLoop } from '@dropgate/api/util-jobs';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadSettlement, type Settled } from './settlement/upload-settlement.service';
import { verifyStored } from './upload-verification';
import { stagedKey } from './object-key';
import { UploadPromotion } from './settlement/upload-promotion';
import { ScanWorker } from './scanning/scan-worker';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/** How long after its policy expired a pending upload is looked at: a POST may still be landing. */
const GRACE_MS = 60_000;
const BATCH = 50;
/** Staging objects deleted by one DeleteObjects request, and marked in one statement. */
const SWEEP_BATCH = 500;
/** A staging delete that has not finished by then is taken again (by any instance). */
const SWEEP_LEASE_MS = 5 * 60_000;
const EXPIRED_KEYS_BATCH = 1_000;

/**
 * Settles pending uploads whose policy expired: an object that is there and as declared is
 * scanned and promoted (a browser that closed before completing); anything else makes it
 * `expired`, deleting an object that is not as declared and aborting a multipart upload's parts.
 * It also deletes the staging object of every settled upload once no policy can write it again,
 * so a saved policy leaves nothing behind. Every instance runs it. Rows are leased in short statements (`FOR UPDATE SKIP LOCKED`), the
 * storage work is done outside any transaction, one row's failure puts that row back with
 * backoff, and shutdown stops between rows however long the backlog.
 */
@Injectable()
export class UploadReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private readonly loop: JobLoop<Upload>;
  /** Each job is a batch of staging objects: one DeleteObjects, one statement to mark them. */
  private readonly sweeper: JobLoop<StagingSweep[]>;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly sweeps: StagingSweepsRepository,
    private readonly keys: IdempotencyKeysRepository,
    private readonly objects: S3Objects,
    private readonly multipart: MultipartUploadsService,
    private readonly settlement: UploadSettlement,
    private readonly promotion: UploadPromotion,
    private readonly scans: ScanWorker,
    @Inject(uploadsConfig.KEY) settings: UploadsSettings,
  ) {
    this.loop = new JobLoop<Upload>(
      {
        claim: (limit) =>
          this.uploads.claimDue(
            { kind: 'expired', olderThan: new Date(Date.now() - GRACE_MS) },
            limit,
            this.settlement.holder,
            this.settlement.leaseEnd(),
          ),
        handle: async (upload) => {
          const settled = await this.settlement.finish(
            upload,
            (u) => this.expire(u),
            this.settlement.retryAt(upload),
          );
          this.logger.log(`upload ${settled.id} settled as ${settled.status}`);
          if (settled.status === 'scanning') this.scans.wake();
        },
        // `finish` has already put the row back with its backoff.
        retryLater: async (upload, error) =>
          this.logger.warn(`upload ${upload.id} not settled (${(error as Error).message}); will retry`),
        giveBack: (uploads) => this.settlement.giveBack(uploads),
      },
      { name: 'Reconciler', batch: BATCH, pollMs: settings.reconcileIntervalSeconds * 1000 },
    );
    this.sweeper = new JobLoop<StagingSweep[]>(
      {
        claim: async () => {
          // Idempotency keys past their 24 hours go on the same pass: a bounded batch each time.
          await this.keys.deleteExpired(EXPIRED_KEYS_BATCH);
          const sweeps = await this.sweeps.claim(SWEEP_BATCH, new Date(Date.now() + SWEEP_LEASE_MS));
          return sweeps.length > 0 ? [sweeps] : [];
        },
        handle: (sweeps) => this.sweep(sweeps),
        // The claim moved their time on by the lease: that is their backoff.
        retryLater: async (sweeps, error) =>
          this.logger.warn(
            `${sweeps.length} staging objects not deleted (${(error as Error).message}); will retry`,
          ),
      },
      { name: 'Staging sweep', batch: 1, pollMs: settings.reconcileIntervalSeconds * 1000 },
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.loop.stop(), this.sweeper.stop()]);
  }

  /**
   * Deletes a batch of staging objects in one request and marks those deleted in one statement.
   * One that S3 could not delete stays due, and is taken again once its lease ends.
   */
  private async sweep(sweeps: StagingSweep[]): Promise<void> {
    const failed = await this.objects.deleteMany(sweeps.map((sweep) => sweep.stagingKey));
    const left = new Set(failed.map((failure) => failure.key));
    for (const { key, code } of failed)
      this.logger.warn(`staging object ${key} not deleted (${code}); will retry`);
    await this.sweeps.swept(sweeps.filter((sweep) => !left.has(sweep.stagingKey)));
  }

  private async expire(upload: Upload): Promise<Settled> {
    const stored = await this.objects.head(stagedKey(upload));
    const reason =
      stored &&
      verifyStored({ size: upload.size, contentType: upload.content_type, md5: upload.md5 }, stored);
    if (stored && !reason) {
      return this.promotion.admit(upload, stored, { completed_at: new Date() });
    }
    if (stored) await this.objects.delete(stagedKey(upload));
    else await this.multipart.abort(upload);
    return {
      event: 'expired',
      fields: { ...(reason && { status_reason: reason }), completed_at: new Date() },
    };
  }
}
