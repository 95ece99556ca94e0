import type { VerifiedRead } from '@dropgate/api/data-access-s3/reader';
import type { ClamdClient } from './clamd-client';
import type { ScanVerdict } from './scan-verdict';

/** A stored object to scan, read only while it still has the ETag (without quotes) that was verified. */
export interface ScanJob {
  key: string;
  etag: string;
  size: number;
}

/** clamd's verdict on the object, or why none of its bytes were sent (`changed`, `missing`). */
export type ScanTransferResult =
  { status: 'scanned'; verdict: ScanVerdict } | { status: 'changed' } | { status: 'missing' };

/** Awaited before a stream's end is sent; resolves with the release of clamd's turn. */
export type ScanTurn = () => Promise<() => void>;

/** Streams stored objects into clamd. */
export interface ScanTransfer {
  /**
   * Throws ScannerUnavailableError when clamd gives no verdict, the storage error when the read
   * fails, and the signal's reason when aborted.
   */
  send(job: ScanJob, signal: AbortSignal, turn: ScanTurn): Promise<ScanTransferResult>;
  close(): Promise<void>;
}

/** Reads the job's object while it still has its ETag (`S3Objects.read`, or `readVerified`). */
export type ReadForScan = (job: ScanJob, signal: AbortSignal) => Promise<VerifiedRead>;

/** The object's bytes read from S3 and sent to clamd in this thread. */
export class DirectScanTransfer implements ScanTransfer {
  constructor(
    private readonly read: ReadForScan,
    private readonly scanner: ClamdClient,
  ) {}

  async send(job: ScanJob, signal: AbortSignal, turn: ScanTurn): Promise<ScanTransferResult> {
    const read = await this.read(job, signal);
    if (read.status !== 'found') return read;
    try {
      return { status: 'scanned', verdict: await this.scanner.scan(read.body, signal, turn) };
    } finally {
      read.body.destroy();
    }
  }

  async close(): Promise<void> {
    // Nothing of its own to let go of: the S3 client and clamd's sockets are per call or shared.
  }
}
