import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { S3Objects } from '@dropgate/api/data-access-s3';
import { UploadsRepository, type Upload } from '@dropgate/api/data-access-db';
import { JobLoop, backoffMs } from '@dropgate/api/util-jobs';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadSettlement, type Settled } from './settlement/upload-settlement.service';
import { verifyStored } from './upload-verification';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/** How long after its policy expired a pending upload is looked at: a POST may still be landing. */
const GRACE_MS = 60_000;
const BATCH = 50;
/** Backoff for an upload whose settling failed (storage down, say): 5 s doubling to 10 minutes. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 10 * 60_000;

/**
 * Settles pending uploads whose policy expired: an object that is there and as declared makes
 * the upload `available` (a browser that closed before completing); anything else makes it
 * `expired`, deleting an object that is not as declared and aborting a multipart upload's parts.
 * Every instance runs it. Rows are leased in short statements (`FOR UPDATE SKIP LOCKED`), the
 * storage work is done outside any transaction, one row's failure puts that row back with
 * backoff, and shutdown stops between rows however long the backlog.
 */
@Injectable()
export class UploadReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private readonly loop: JobLoop<Upload>;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly objects: S3Objects,
    private readonly multipart: MultipartUploadsService,
    private readonly settlement: UploadSettlement,
    @Inject(uploadsConfig.KEY) settings: UploadsSettings,
  ) {
    this.loop = new JobLoop<Upload>(
      {
        claim: (limit) =>
          this.uploads.claimExpired(
            new Date(Date.now() - GRACE_MS),
            limit,
            this.settlement.holder,
            this.settlement.leaseEnd(),
          ),
        handle: async (upload) => {
          const retryAt = new Date(
            Date.now() + backoffMs(upload.settle_attempts + 1, RETRY_BASE_MS, RETRY_MAX_MS),
          );
          const settled = await this.settlement.finish(upload, (u) => this.expire(u), retryAt);
          this.logger.log(`upload ${settled.id} settled as ${settled.status}`);
        },
        // `finish` has already put the row back with its backoff.
        retryLater: async (upload, error) =>
          this.logger.warn(`upload ${upload.id} not settled (${(error as Error).message}); will retry`),
      },
      { name: 'Reconciler', batch: BATCH, pollMs: settings.reconcileIntervalSeconds * 1000 },
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async expire(upload: Upload): Promise<Settled> {
    const stored = await this.objects.head(upload.key);
    const reason =
      stored &&
      verifyStored({ size: upload.size, contentType: upload.content_type, md5: upload.md5 }, stored);
    if (stored && !reason) {
      return { event: 'verified', fields: { etag: stored.etag ?? null, completed_at: new Date() } };
    }
    if (stored) await this.objects.delete(upload.key);
    else await this.multipart.abort(upload);
    return {
      event: 'expired',
      fields: { ...(reason && { status_reason: reason }), completed_at: new Date() },
    };
  }
}
