import { parentPort, workerData } from 'node:worker_threads';
import { RANGED_READ, createS3Client, readVerified } from '@dropgate/api/data-access-s3/reader';
import { ClamdClient } from './clamd-client';
import { ScannerUnavailableError } from './scanner-unavailable.error';
import { DirectScanTransfer, type ReadForScan, type ScanTransfer } from './scan-transfer';
import type {
  FromScanThread,
  ScanThreadPort,
  ScanThreadSettings,
  ThreadError,
  ToScanThread,
} from './scan-thread.protocol';

interface Call {
  stop: AbortController;
  /** Lets the job end its stream: set while it waits for clamd's turn. */
  go?: () => void;
}

/** S3 failed to read the object (as opposed to clamd failing): `cause` is the SDK's error. */
export class StorageReadError extends Error {
  constructor(override readonly cause: Error & { $metadata?: { httpStatusCode?: number } }) {
    super(cause.message);
    this.name = cause.name;
  }
}

/**
 * The thread's side: runs each job sent on `port` with `transfer`, asking the API for clamd's
 * turn before each stream's end, and answers with its result or failure.
 */
export function serveScanTransfers(
  port: ScanThreadPort<ToScanThread, FromScanThread>,
  transfer: ScanTransfer,
): void {
  const calls = new Map<number, Call>();
  port.on('message', (message) => {
    const { id } = message;
    switch (message.type) {
      case 'send': {
        const call: Call = { stop: new AbortController() };
        calls.set(id, call);
        const turn = () => waitForGo(call, () => port.postMessage({ type: 'turn', id }));
        transfer
          .send(message.job, call.stop.signal, turn)
          .then(
            (result) => port.postMessage({ type: 'result', id, result }),
            (error: unknown) => port.postMessage({ type: 'failed', id, error: describe(error) }),
          )
          .finally(() => calls.delete(id));
        return;
      }
      case 'go':
        return calls.get(id)?.go?.();
      case 'abort':
        return calls.get(id)?.stop.abort(new Error('the scan was stopped'));
    }
  });
}

/**
 * Asks for the turn and resolves once the API grants it. The API holds the turn's release, so
 * the thread's is a no-op.
 */
function waitForGo(call: Call, ask: () => void): Promise<() => void> {
  const { signal } = call.stop;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    call.go = () => {
      signal.removeEventListener('abort', onAbort);
      resolve(() => undefined);
    };
    ask();
  });
}

function describe(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { name, message } = error;
  if (error instanceof ScannerUnavailableError) return { name, message, fault: error.code };
  if (error instanceof StorageReadError)
    return { name, message, storage: { status: error.cause.$metadata?.httpStatusCode } };
  return { name, message };
}

/**
 * The scan thread's entry: its own S3 client and clamd client, serving the API's jobs. It loads
 * only these (not the API's modules), so that its heap stays small.
 */
export function runScanThread(): void {
  if (!parentPort) throw new Error('runScanThread() runs in the scan thread that ScanThread starts');
  const { s3, clamav } = workerData as ScanThreadSettings;
  const client = createS3Client(s3);
  const read: ReadForScan = (job, signal) =>
    readVerified(client, { bucket: s3.bucket, ...job }, RANGED_READ, signal).catch((error: Error) => {
      throw new StorageReadError(error);
    });
  serveScanTransfers(parentPort, new DirectScanTransfer(read, new ClamdClient(clamav.url, clamav)));
}
