import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { S3Objects } from '@dropgate/api/data-access-s3';
import { UploadsRepository, type Upload } from '@dropgate/api/data-access-db';
import type { UploadStatus } from '@dropgate/shared/api-contract';
import { nextStatus } from './upload-lifecycle';
import { MultipartUploadsService } from './multipart-uploads.service';
import { verifyStored } from './upload-verification';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/** How long after its policy expired a pending upload is looked at: a POST may still be landing. */
const GRACE_MS = 60_000;
const BATCH = 50;

/**
 * Settles pending uploads whose policy expired: an object that is there and as declared makes
 * the upload `available` (a browser that closed before completing, or a multipart upload joined
 * whose record was not updated); anything else makes it `expired`, deleting an object that is not
 * as declared and aborting a multipart upload's parts. Every instance runs it; rows are taken
 * with `FOR UPDATE SKIP LOCKED`, so two instances never handle the same upload, and no queue or
 * leader election is needed for a job this small.
 */
@Injectable()
export class UploadReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer?: ReturnType<typeof setInterval>;
  private running?: Promise<unknown>;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly objects: S3Objects,
    private readonly multipart: MultipartUploadsService,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.settings.reconcileIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every upload that is due; the number settled. */
  async reconcile(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const settled = await this.uploads.reconcileExpired(new Date(now.getTime() - GRACE_MS), BATCH, (u) =>
        this.settle(u),
      );
      total += settled;
      if (settled < BATCH) return total;
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.reconcile()
      .then((n) => n > 0 && this.logger.log(`settled ${n} expired upload${n === 1 ? '' : 's'}`))
      .catch((error: Error) => this.logger.warn(`reconcile failed: ${error.message}`))
      .finally(() => (this.running = undefined));
    await this.running;
  }

  private async settle(
    upload: Upload,
  ): Promise<{ status: UploadStatus; etag?: string | null; status_reason?: string; completed_at: Date }> {
    const stored = await this.objects.head(upload.key);
    const reason =
      stored &&
      verifyStored({ size: upload.size, contentType: upload.content_type, md5: upload.md5 }, stored);
    if (stored && !reason) {
      return {
        status: nextStatus(upload.status, 'verified') as UploadStatus,
        etag: stored.etag ?? null,
        completed_at: new Date(),
      };
    }
    if (stored) await this.objects.delete(upload.key);
    else await this.multipart.abort(upload);
    return {
      status: nextStatus(upload.status, 'expired') as UploadStatus,
      ...(reason && { status_reason: reason }),
      completed_at: new Date(),
    };
  }
}
