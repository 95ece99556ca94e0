import { storageProblem } from '@dropgate/api/data-access-s3';
import { ScannerUnavailableError } from './scanner-unavailable.error';
import type { ThreadError } from './scan-thread.protocol';

/**
 * Why a job sent to the scan thread has no result: the thread stopped (`exited`, `failed`,
 * `garbled_message`: the scan worker retries the job, and the next one starts another thread),
 * the API stopped it (`stopped`), or the job failed there with an error other than clamd's and
 * S3's (`job_failed`).
 */
export type ScanThreadFault = 'exited' | 'failed' | 'garbled_message' | 'stopped' | 'job_failed';

export class ScanThreadError extends Error {
  constructor(
    readonly code: ScanThreadFault,
    message: string,
  ) {
    super(message);
    this.name = 'ScanThreadError';
  }
}

/**
 * The error a job failed with in the thread, as the API's own path would have thrown it: clamd's
 * ScannerUnavailableError with its fault, a failed read of the object sorted as every S3 error
 * of the API is (a 503, or a misconfiguration logged with its fix), anything else by its name.
 */
export function fromThread({ name, message, fault, storage }: ThreadError, bucket: string): Error {
  if (fault) return new ScannerUnavailableError(fault, message);
  if (storage) {
    const sdkError = { name, message, $metadata: { httpStatusCode: storage.status } };
    return storageProblem(sdkError, 's3:GetObject', bucket);
  }
  return new ScanThreadError('job_failed', `${name}: ${message}`);
}
