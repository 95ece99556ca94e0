import { percentOf } from './format';
import type { UploadError } from './upload-error';

/** One file's state: each step of the queue is a variant, so a screen can only show what is true. */
export type UploadState =
  | { status: 'rejected'; reason: string }
  | { status: 'queued'; retries: number; retryAt?: number; lastError?: UploadError }
  | { status: 'signing'; retries: number }
  | { status: 'uploading'; retries: number; loaded: number; total: number; bytesPerSecond: number }
  | { status: 'paused'; loaded: number; total: number }
  /** An earlier upload of this file (before a reload) that storage still holds in part. */
  | { status: 'resumable'; storedBytes: number; total: number }
  | { status: 'verifying'; retries: number }
  /** Stored and as declared; the API is checking it for malware, and the queue asks until it has. */
  | { status: 'scanning' }
  /**
   * Stored, as declared and, where the API scans, clean: `uploadId` is its record at the API (for
   * its download link).
   */
  | { status: 'done'; key: string; uploadId: string }
  /** The scanner found malware, named `signature`; the API has deleted the file. */
  | { status: 'infected'; signature: string }
  /** Kept unscanned for an admin to review; `reason` in words (heldText). */
  | { status: 'held'; reason: string }
  | { status: 'failed'; error: UploadError; retries: number }
  | { status: 'canceled' };

export type UploadStatus = UploadState['status'];

export interface UploadItem {
  id: string;
  file: File;
  contentType: string;
  /** An object URL for image previews; revoked when the item is removed. */
  previewUrl?: string;
  state: UploadState;
}

/** Bytes sent so far, for progress bars and the overall total. */
export function sentBytes(item: UploadItem): number {
  switch (item.state.status) {
    case 'uploading':
    case 'paused':
      return item.state.loaded;
    case 'resumable':
      return item.state.storedBytes;
    case 'verifying':
    case 'scanning':
    case 'done':
    case 'infected':
    case 'held':
      return item.file.size;
    case 'rejected':
    case 'queued':
    case 'signing':
    case 'failed':
    case 'canceled':
      return 0;
    default: {
      const unknown: never = item.state;
      throw new Error(`Unhandled upload state ${JSON.stringify(unknown)}`);
    }
  }
}

/** States nothing more happens in: the file reached its verdict, was refused, or was canceled. */
const FINISHED: ReadonlySet<UploadStatus> = new Set(['done', 'infected', 'held', 'canceled', 'rejected']);

export const isFinished = (item: UploadItem) => FINISHED.has(item.state.status);

/**
 * The queue at a glance: files counted (not refused or canceled), how they stand, bytes sent. A
 * blocked or held file was sent but is not stored: it counts as a file, not as done.
 */
export function summarize(items: readonly UploadItem[]) {
  const counted = items.filter((i) => i.state.status !== 'rejected' && i.state.status !== 'canceled');
  const totalBytes = counted.reduce((sum, i) => sum + i.file.size, 0);
  const sent = counted.reduce((sum, i) => sum + sentBytes(i), 0);
  const count = (status: UploadStatus) => items.filter((i) => i.state.status === status).length;
  return {
    files: counted.length,
    done: count('done'),
    failed: count('failed'),
    active: count('signing') + count('uploading') + count('verifying') + count('scanning') + count('queued'),
    percent: percentOf(sent, totalBytes),
    hasFinished: items.some(isFinished),
  };
}
