import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import {
  Observable,
  Subject,
  Subscription,
  concatMap,
  defer,
  map,
  of,
  retry,
  switchMap,
  take,
  throwError,
  timer,
} from 'rxjs';
import type { UploadRecord, UploadsConfig } from '@dropgate/shared/api-contract';
import { UPLOAD_CONCURRENCY } from './upload-concurrency.token';
import { contentTypeOf, rejectionReason } from './file-checks';
import { RETRY_RULES, retryDelay } from './retry-rules';
import { UploadError, rejectionError } from './upload-error';
import { isFinished, sentBytes, type UploadItem, type UploadState } from './upload-state';
import { UploadTransport, type SendEvent } from './upload-transport';

/** The API's verdict on a stored file. */
interface Verified {
  type: 'verified';
  record: UploadRecord;
}

/**
 * The upload queue: files are checked, then go queued → signing → uploading → verifying → done, at most
 * `UPLOAD_CONCURRENCY` at a time. Failures follow RETRY_RULES; cancel aborts the request.
 * When the session ends, the queue pauses: what is sending to storage finishes (storage needs no
 * token), the rest keeps its place until `resumeAfterSignIn()`.
 */
@Injectable()
export class UploadQueue {
  private readonly transport = inject(UploadTransport);
  private readonly concurrency = inject(UPLOAD_CONCURRENCY);
  private readonly running = new Map<string, Subscription>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private nextId = 1;
  /** The record of each file's current attempt, so that canceling it cancels the record too. */
  private readonly records = new Map<string, string>();
  /** Emits when the person has signed in again, for completions that wait for a token. */
  private readonly resumed = new Subject<void>();
  /** Files given before the rules arrived; checked and queued as soon as they do. */
  private waiting: File[] = [];

  readonly config = signal<UploadsConfig | undefined>(undefined);
  readonly configError = signal<string | undefined>(undefined);
  readonly items = signal<UploadItem[]>([]);
  /** True while the session has ended and nothing new starts until the person signs in again. */
  readonly waitingForSignIn = signal(false);
  /** The latest event worth saying aloud, for an ARIA live region. */
  readonly announcement = signal('');

  readonly summary = computed(() => {
    const counted = this.items().filter(
      (i) => i.state.status !== 'rejected' && i.state.status !== 'canceled',
    );
    const totalBytes = counted.reduce((sum, i) => sum + i.file.size, 0);
    const sent = counted.reduce((sum, i) => sum + sentBytes(i), 0);
    const count = (status: UploadState['status']) =>
      this.items().filter((i) => i.state.status === status).length;
    return {
      files: counted.length,
      done: count('done'),
      failed: count('failed'),
      active: count('signing') + count('uploading') + count('verifying') + count('queued'),
      percent: totalBytes === 0 ? 0 : Math.floor((sent / totalBytes) * 100),
      hasFinished: this.items().some(isFinished),
    };
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      for (const id of [...this.running.keys(), ...this.timers.keys()]) this.stop(id);
    });
  }

  loadConfig(): void {
    this.configError.set(undefined);
    this.transport.getConfig().subscribe({
      next: (config) => {
        this.config.set(config);
        const waiting = this.waiting;
        this.waiting = [];
        if (waiting.length > 0) this.add(waiting);
      },
      error: (error: unknown) => this.configError.set(messageOf(error)),
    });
  }

  add(files: readonly File[]): void {
    const config = this.config();
    if (!config) {
      this.waiting.push(...files);
      return;
    }
    const added = files.map((file): UploadItem => {
      const reason = rejectionReason(file, config);
      return {
        id: `u${this.nextId++}`,
        file,
        contentType: contentTypeOf(file),
        previewUrl: !reason && file.type.startsWith('image/') ? createObjectUrl(file) : undefined,
        state: reason ? { status: 'rejected', reason } : { status: 'queued', retries: 0 },
      };
    });
    this.items.update((items) => [...items, ...added]);
    const rejected = added.filter((i) => i.state.status === 'rejected');
    const accepted = added.length - rejected.length;
    this.announce(
      [
        accepted ? `${accepted} file${accepted > 1 ? 's' : ''} queued` : '',
        ...rejected.map((i) => `${i.file.name} refused: ${(i.state as { reason: string }).reason}`),
      ]
        .filter(Boolean)
        .join('. '),
    );
    this.pump();
  }

  cancel(id: string): void {
    const item = this.find(id);
    if (!item || !['queued', 'signing', 'uploading'].includes(item.state.status)) return;
    this.stop(id);
    const recordId = this.records.get(id);
    this.records.delete(id);
    // Best effort: a record left pending is expired by the server a minute after its policy.
    if (recordId) this.transport.discard(recordId).subscribe({ error: () => undefined });
    this.setState(id, { status: 'canceled' });
    this.announce(`${item.file.name} canceled`);
    this.pump();
  }

  retry(id: string): void {
    const item = this.find(id);
    if (!item || (item.state.status !== 'failed' && item.state.status !== 'canceled')) return;
    this.setState(id, { status: 'queued', retries: 0 });
    this.pump();
  }

  remove(id: string): void {
    const item = this.find(id);
    if (!item) return;
    this.stop(id);
    if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    this.items.update((items) => items.filter((i) => i.id !== id));
    this.pump();
  }

  /** Stops starting files until `resumeAfterSignIn()`; files already sending carry on. */
  pauseForSignIn(): void {
    if (this.waitingForSignIn()) return;
    this.waitingForSignIn.set(true);
    const waiting = this.items().filter((i) => i.state.status === 'queued').length;
    this.announce(
      `Session ended. ${waiting} file${waiting === 1 ? '' : 's'} waiting: sign in again to continue`,
    );
  }

  resumeAfterSignIn(): void {
    if (!this.waitingForSignIn()) return;
    this.waitingForSignIn.set(false);
    this.announce('Signed in again: uploads continue');
    this.resumed.next();
    this.pump();
  }

  clearCompleted(): void {
    for (const item of this.items().filter(isFinished)) this.remove(item.id);
  }

  private pump(): void {
    if (this.waitingForSignIn()) return;
    const now = Date.now();
    for (const item of this.items()) {
      if (this.running.size >= this.concurrency) return;
      const { state } = item;
      if (state.status === 'queued' && (state.retryAt ?? 0) <= now && !this.running.has(item.id)) {
        this.start(item, state.retries);
      }
    }
  }

  private start(item: UploadItem, retries: number): void {
    const { id, file } = item;
    const startedAt = Date.now();
    this.setState(id, { status: 'signing', retries });
    const subscription = this.transport
      .create({ fileName: file.name, contentType: item.contentType, size: file.size, method: 'post' })
      .pipe(
        switchMap((created) => {
          this.records.set(id, created.id);
          this.setState(id, { status: 'uploading', retries, loaded: 0, total: file.size, bytesPerSecond: 0 });
          return this.transport.send(created, file).pipe(
            concatMap((event): Observable<SendEvent | Verified> => {
              if (event.type === 'progress') return of(event);
              this.setState(id, { status: 'verifying', retries });
              return this.verify(created.id).pipe(map((record) => ({ type: 'verified' as const, record })));
            }),
          );
        }),
      )
      .subscribe({
        next: (event) => {
          if (event.type === 'progress') {
            const seconds = (Date.now() - startedAt) / 1000;
            const bytesPerSecond = seconds > 0 ? event.loaded / seconds : 0;
            this.setState(id, {
              status: 'uploading',
              retries,
              loaded: event.loaded,
              total: event.total,
              bytesPerSecond,
            });
          } else if (event.type === 'verified') {
            this.running.delete(id);
            this.records.delete(id);
            if (event.record.status === 'available') {
              this.setState(id, { status: 'done', key: event.record.key });
              this.announce(`${file.name} stored`);
            } else {
              this.fail(item, retries, rejectionError(event.record.reason));
            }
            this.pump();
          }
        },
        error: (error: unknown) => {
          this.running.delete(id);
          this.fail(
            item,
            retries,
            error instanceof UploadError ? error : new UploadError('network', messageOf(error)),
          );
          this.pump();
        },
      });
    // A synchronous failure has already finished the attempt; keep only live ones.
    if (!subscription.closed) this.running.set(id, subscription);
  }

  /**
   * Completes an upload whose bytes are stored. A failure that the retry table backs off from is
   * retried here, on completion alone: the file is not sent again.
   */
  private verify(uploadId: string): Observable<UploadRecord> {
    return defer(() => this.transport.complete(uploadId)).pipe(
      retry({
        delay: (error: unknown, attempt: number) => {
          // The bytes are stored; only the check waits for a new token, then runs again.
          if (error instanceof UploadError && RETRY_RULES[error.kind].action === 'sign-in') {
            this.pauseForSignIn();
            return this.resumed.pipe(take(1));
          }
          const wait =
            error instanceof UploadError ? retryDelay(error.kind, attempt, error.retryAfterMs) : undefined;
          return wait === undefined || RETRY_RULES[(error as UploadError).kind].action !== 'backoff'
            ? throwError(() => error)
            : timer(wait);
        },
      }),
    );
  }

  private fail(item: UploadItem, retries: number, error: UploadError): void {
    if (RETRY_RULES[error.kind].action === 'sign-in') {
      this.setState(item.id, { status: 'queued', retries, lastError: error });
      this.pauseForSignIn();
      return;
    }
    const next = retries + 1;
    const delay = retryDelay(error.kind, next, error.retryAfterMs);
    if (delay === undefined) {
      this.setState(item.id, { status: 'failed', error, retries });
      this.announce(`${item.file.name} failed: ${error.message}`);
      return;
    }
    this.setState(item.id, {
      status: 'queued',
      retries: next,
      retryAt: Date.now() + delay,
      lastError: error,
    });
    if (delay > 0) {
      this.timers.set(
        item.id,
        setTimeout(() => (this.timers.delete(item.id), this.pump()), delay),
      );
    }
  }

  private stop(id: string): void {
    this.running.get(id)?.unsubscribe();
    this.running.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private find(id: string): UploadItem | undefined {
    return this.items().find((i) => i.id === id);
  }

  private setState(id: string, state: UploadState): void {
    this.items.update((items) => items.map((i) => (i.id === id ? { ...i, state } : i)));
  }

  private announce(message: string): void {
    if (message) this.announcement.set(message);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function createObjectUrl(file: File): string | undefined {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : undefined;
}
