import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { S3Objects } from '@dropgate/api/data-access-s3';
import {
  ScannerUnavailableError,
  type ScanTransfer,
  type ScanTransferResult,
} from '@dropgate/api/data-access-clamav';
import { UploadsRepository, type Upload } from '@dropgate/api/data-access-db';
import { JobLoop, Turns } from '@dropgate/api/util-jobs';
import { observeScan } from '@dropgate/api/util-metrics';
import { UploadSettlement, type Settled } from '../settlement/upload-settlement.service';
import { UploadPromotion } from '../settlement/upload-promotion';
import { stagedKey } from '../object-key';
import { SCAN_TRANSFER } from './scan-transfer.provider';
import { uploadsConfig, type UploadsSettings } from '../uploads.config';

/** Other instances' uploads are found by polling; this instance's own are woken at once. */
const POLL_MS = 2_000;
/**
 * The longest a file sent to clamd waits for its turn to be scanned before it is scanned anyway:
 * well within clamd's ReadTimeout (120 s by default), after which clamd drops a silent stream.
 */
const TURN_WAIT_MS = 30_000;

/**
 * Scans every verified upload before it is offered: it streams the staged object, only while it
 * still has the verified ETag, into clamd. Clean: promoted (`available`). Malware: the staged
 * object is deleted (`infected`, with the signature). Too large, encrypted or beyond clamd's
 * limits: `held` for an admin. No verdict (clamd down, killed, garbled): the upload stays
 * `scanning` and is tried again with backoff; it is never taken for clean.
 *
 * Every instance runs it; the uploads waiting in `scanning` are its queue, leased with
 * `FOR UPDATE SKIP LOCKED`, so each is scanned and promoted once. Shutdown aborts the scans in
 * hand; their uploads are tried again after a short backoff.
 *
 * The bytes go from S3 to clamd through SCAN_TRANSFER: in the API, a thread of its own
 * (ScanThread), so that they never pass through the main thread's heap.
 *
 * clamd scans at most UPLOAD_SCAN_CONCURRENCY of this instance's files at once. clamd stores a
 * stream before it scans it, so the worker reads as many more files into clamd meanwhile, each
 * holding back its stream's end until a scan is over: one file's read from S3 (and another's
 * promotion copy) runs while clamd scans, instead of before.
 */
@Injectable()
export class ScanWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scanner');
  private readonly loop: JobLoop<Upload>;
  private readonly scanTurns: Turns;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly objects: S3Objects,
    private readonly settlement: UploadSettlement,
    private readonly promotion: UploadPromotion,
    @Inject(SCAN_TRANSFER) private readonly transfer: ScanTransfer | null,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {
    const { concurrency } = settings.scan;
    this.scanTurns = new Turns(concurrency);
    this.loop = new JobLoop<Upload>(
      {
        claim: (limit) =>
          this.uploads.claimDue(
            { kind: 'scanning' },
            limit,
            this.settlement.holder,
            this.settlement.leaseEnd(),
          ),
        handle: async (upload, signal) => {
          const settled = await this.settlement.finish(
            upload,
            (u) => this.scan(u, signal),
            this.settlement.retryAt(upload),
          );
          this.logger.log(`upload ${settled.id} is ${settled.status}`);
        },
        retryLater: async (upload, error) =>
          this.logger.warn(`upload ${upload.id} not scanned (${(error as Error).message}); will retry`),
        giveBack: (uploads) => this.settlement.giveBack(uploads),
      },
      { name: 'Scanner', batch: concurrency * 2, concurrency: concurrency * 2, pollMs: POLL_MS },
    );
  }

  /** Scans the uploads due now, once (as the loop does on each pass); how many it took. */
  scanDue(): Promise<number> {
    return this.loop.runOnce();
  }

  /** Looks for uploads to scan now: one was just verified here. */
  wake(): void {
    this.loop.wake();
  }

  onApplicationBootstrap(): void {
    // With scanning turned off it still runs: uploads left in `scanning` are then promoted.
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.transfer?.close();
  }

  private async scan(upload: Upload, signal: AbortSignal): Promise<Settled> {
    const transfer = this.transfer;
    if (!transfer) return this.promotion.promote(upload, { scan: 'disabled' });
    const { maxBytes, oversize } = this.settings.scan;
    if (upload.size > maxBytes) {
      return oversize === 'allow'
        ? this.promotion.promote(upload, { scan: 'skipped' })
        : { event: 'held', fields: { status_reason: 'too_large_to_scan' } };
    }
    const job = { key: stagedKey(upload), etag: upload.etag ?? '', size: upload.size };
    const sent = await timedScan(
      () => transfer.send(job, signal, () => this.scanTurns.take(TURN_WAIT_MS, signal)),
      signal,
    );
    if (sent.status === 'missing' && (await this.promotion.alreadyPromoted(upload))) {
      // Scanned clean and copied by a settler that could not record it (promotion follows only a
      // clean verdict): recorded now, nothing scanned twice.
      return this.promotion.promoted(upload, { scan: 'clean' });
    }
    if (sent.status !== 'scanned') return this.promotion.changed(upload);
    const { verdict } = sent;
    switch (verdict.kind) {
      case 'clean':
        return this.promotion.promote(upload, { scan: 'clean' });
      case 'infected':
        await this.objects.delete(stagedKey(upload));
        this.logger.warn(`upload ${upload.id} carries ${verdict.signature}; its object was deleted`);
        return { event: 'infected', fields: { status_reason: verdict.signature } };
      case 'held':
        this.logger.warn(`upload ${upload.id} held: ${verdict.detail}`);
        return { event: 'held', fields: { status_reason: verdict.reason } };
      default:
        return assertNever(verdict);
    }
  }
}

/** Runs one scan and records its result and duration, a verdict or none; nothing when no bytes were sent. */
async function timedScan(
  send: () => Promise<ScanTransferResult>,
  signal: AbortSignal,
): Promise<ScanTransferResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const sent = await send();
    if (sent.status === 'scanned') observeScan(sent.verdict.kind, seconds());
    return sent;
  } catch (error) {
    // A scan cut short by shutdown says nothing about clamd.
    if (!signal.aborted)
      observeScan(error instanceof ScannerUnavailableError ? 'unavailable' : 'error', seconds());
    throw error;
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled verdict ${JSON.stringify(value)}`);
}
