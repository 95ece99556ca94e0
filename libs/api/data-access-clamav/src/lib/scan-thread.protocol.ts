import type { S3Config } from '@dropgate/api/data-access-s3/reader';
import type { ClamavSettings } from './clamav.config';
import type { ScannerFault } from './scanner-unavailable.error';
import type { ScanJob, ScanTransferResult } from './scan-transfer';

/** What the scan thread is started with (its `workerData`): where the objects are, and clamd. */
export interface ScanThreadSettings {
  s3: S3Config;
  clamav: ClamavSettings;
}

/** The API to the thread: scan a job; the job may end its stream now; stop it. */
export type ToScanThread =
  { type: 'send'; id: number; job: ScanJob } | { type: 'go'; id: number } | { type: 'abort'; id: number };

/** The thread to the API: a job waits for clamd's turn; its result; its failure. */
export type FromScanThread =
  | { type: 'turn'; id: number }
  | { type: 'result'; id: number; result: ScanTransferResult }
  | { type: 'failed'; id: number; error: ThreadError };

/**
 * An error as it crosses the thread: a ScannerUnavailableError keeps its fault, and a failed read
 * of the object S3's status, so that the API can sort it as it sorts its own storage errors.
 */
export interface ThreadError {
  name: string;
  message: string;
  fault?: ScannerFault;
  storage?: { status?: number };
}

/** The side of a MessagePort (or a Worker) each end uses. */
export interface ScanThreadPort<In, Out> {
  on(event: 'message', listener: (message: In) => void): unknown;
  postMessage(message: Out): void;
}
