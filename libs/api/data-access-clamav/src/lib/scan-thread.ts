import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { ScanThreadError, fromThread } from './scan-thread.errors';
import type { ScanJob, ScanTransfer, ScanTransferResult, ScanTurn } from './scan-transfer';
import type {
  FromScanThread,
  ScanThreadPort,
  ScanThreadSettings,
  ToScanThread,
} from './scan-thread.protocol';

/** The thread's end as the API sees it: a Worker, or one end of a MessageChannel in a spec. */
export interface ScanThreadHandle extends ScanThreadPort<FromScanThread, ToScanThread> {
  on(event: 'message', listener: (message: FromScanThread) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'messageerror', listener: (error: Error) => void): unknown;
  terminate(): Promise<unknown>;
}

interface Call {
  resolve(result: ScanTransferResult): void;
  reject(error: unknown): void;
  turn: ScanTurn;
  /** clamd's turn, once granted: released when the job ends, however it ends. */
  release?: () => void;
  done(): void;
}

/**
 * Scans in a thread of its own (`runScanThread`): the object's bytes go from S3 to clamd there,
 * never through the API's heap. Each socket read is a new buffer, and a scanned gigabyte made the
 * main heap collect every few megabytes, each collection marking the whole of the API; the
 * thread's small heap is marked instead. The API keeps the turns, the records and the verdicts.
 *
 * The thread starts with the first job. When it dies, its jobs fail (the scan worker retries
 * them) and the next job starts another.
 */
export class ScanThread implements ScanTransfer {
  private readonly logger = new Logger('Scanner');
  private thread?: ScanThreadHandle;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;

  /** `bucket`: the one the thread reads, named when a read of it fails. */
  constructor(
    private readonly start: () => ScanThreadHandle,
    private readonly bucket: string,
  ) {}

  /** A ScanThread running `script` (whose top level calls `runScanThread()`) with `settings`. */
  static of(script: string, settings: ScanThreadSettings): ScanThread {
    return new ScanThread(() => {
      const worker = new Worker(script, { workerData: settings, name: 'scan' });
      // Never what keeps the process up: shutdown stops it, and the API's own work holds the loop.
      worker.unref();
      return worker;
    }, settings.s3.bucket);
  }

  send(job: ScanJob, signal: AbortSignal, turn: ScanTurn): Promise<ScanTransferResult> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const thread = this.running();
    const id = this.nextId++;
    return new Promise<ScanTransferResult>((resolve, reject) => {
      const onAbort = () => {
        thread.postMessage({ type: 'abort', id });
        this.end(id)?.reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.calls.set(id, { resolve, reject, turn, done: () => signal.removeEventListener('abort', onAbort) });
      thread.postMessage({ type: 'send', id, job });
    });
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    this.failAll(new ScanThreadError('stopped', 'the scan thread was stopped'));
    await thread?.terminate();
  }

  private running(): ScanThreadHandle {
    if (this.thread) return this.thread;
    const thread = this.start();
    const gone = (error: ScanThreadError) => {
      if (this.thread !== thread) return;
      this.thread = undefined;
      this.logger.warn(`${error.message}; its scans will be tried again, in a new thread`);
      this.failAll(error);
    };
    thread.on('message', (message) => this.receive(thread, message));
    thread.on('error', (error) =>
      gone(new ScanThreadError('failed', `the scan thread failed: ${error.stack}`)),
    );
    thread.on('exit', (code) =>
      gone(new ScanThreadError('exited', `the scan thread exited with code ${code}`)),
    );
    // A message that cannot be read leaves a job without its answer: start afresh.
    thread.on('messageerror', (error) => {
      gone(
        new ScanThreadError(
          'garbled_message',
          `a message from the scan thread was unreadable: ${error.message}`,
        ),
      );
      void thread.terminate();
    });
    this.thread = thread;
    return thread;
  }

  private receive(thread: ScanThreadHandle, message: FromScanThread): void {
    const { id } = message;
    switch (message.type) {
      case 'turn':
        return void this.grantTurn(thread, id);
      case 'result':
        return this.end(id)?.resolve(message.result);
      case 'failed':
        return this.end(id)?.reject(fromThread(message.error, this.bucket));
    }
  }

  private async grantTurn(thread: ScanThreadHandle, id: number): Promise<void> {
    const call = this.calls.get(id);
    if (!call) return;
    let release: () => void;
    try {
      release = await call.turn();
    } catch (error) {
      thread.postMessage({ type: 'abort', id });
      return this.end(id)?.reject(error);
    }
    // The job may have ended while it waited (aborted, the thread gone).
    if (this.calls.get(id) !== call) return release();
    call.release = release;
    thread.postMessage({ type: 'go', id });
  }

  /** Forgets the job, releasing its turn; the call to settle, unless it was settled already. */
  private end(id: number): Call | undefined {
    const call = this.calls.get(id);
    if (!call) return undefined;
    this.calls.delete(id);
    call.done();
    call.release?.();
    return call;
  }

  private failAll(error: Error): void {
    for (const id of [...this.calls.keys()]) this.end(id)?.reject(error);
  }
}
