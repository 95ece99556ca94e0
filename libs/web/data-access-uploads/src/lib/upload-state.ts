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
  /** Stored and checked: `uploadId` is its record at the API (for its download link). */
  | { status: 'done'; key: string; uploadId: string }
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
    case 'done':
      return item.file.size;
    default:
      return 0;
  }
}

export const isFinished = (item: UploadItem) =>
  item.state.status === 'done' || item.state.status === 'canceled' || item.state.status === 'rejected';

/** The queue at a glance: files counted (not refused or canceled), how they stand, bytes sent. */
export function summarize(items: readonly UploadItem[]) {
  const counted = items.filter((i) => i.state.status !== 'rejected' && i.state.status !== 'canceled');
  const totalBytes = counted.reduce((sum, i) => sum + i.file.size, 0);
  const sent = counted.reduce((sum, i) => sum + sentBytes(i), 0);
  const count = (status: UploadStatus) => items.filter((i) => i.state.status === status).length;
  return {
    files: counted.length,
    done: count('done'),
    failed: count('failed'),
    active: count('signing') + count('uploading') + count('verifying') + count('queued'),
    percent: percentOf(sent, totalBytes),
    hasFinished: items.some(isFinished),
  };
}
