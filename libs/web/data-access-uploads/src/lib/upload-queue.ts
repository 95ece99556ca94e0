import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import {
  EMPTY,
  Observable,
  Subject,
  Subscription,
  concatMap,
  defer,
  from,
  map,
  of,
  retry,
  switchMap,
  take,
  tap,
  throwError,
  timer,
} from 'rxjs';
import type { CreatedUpload, UploadRecord, UploadsConfig } from '@dropgate/shared/api-contract';
import { usesMultipart } from '@dropgate/shared/util-parts';
import { UPLOAD_CONCURRENCY } from './upload-concurrency.token';
import { contentTypeOf, rejectionReason } from './file-checks';
import { RETRY_RULES, retryDelay } from './retry-rules';
import { UploadError, rejectionError } from './upload-error';
import { isFinished, summarize, type UploadItem, type UploadState } from './upload-state';
import { UploadTransport } from './upload-transport';
import { percentOf } from './format';
import { ResumePoints } from './resume/resume-points';
import { MultipartStrategy } from './strategies/multipart-strategy';
import { PostStrategy } from './strategies/post-strategy';
import type { TransferEvent } from './strategies/transfer';
import { TransferSlots } from './transfer-slots';

/** The API's verdict on a stored file. */
interface Verified {
  type: 'verified';
  record: UploadRecord;
}

/**
 * The upload queue, a scheduler: files are checked, then go queued → signing → uploading →
 * verifying → done. The API decides how each travels, and a strategy sends it: one POST, or
 * parts (PostStrategy, MultipartStrategy). Transfers share `UPLOAD_CONCURRENCY` slots fairly
 * (TransferSlots). Failures follow RETRY_RULES; cancel aborts the requests and the upload; pause
 * aborts them and keeps a multipart upload, which resumes from the parts storage holds, also
 * after a reload (ResumePoints). When the session ends, the queue pauses: what is sending to
 * storage finishes (storage needs no token), the rest keeps its place until `resumeAfterSignIn()`.
 */
@Injectable()
export class UploadQueue {
  private readonly transport = inject(UploadTransport);
  private readonly concurrency = inject(UPLOAD_CONCURRENCY);
  private readonly post = inject(PostStrategy);
  private readonly multipart = inject(MultipartStrategy);
  private readonly resumePoints = inject(ResumePoints);
  private readonly slots = new TransferSlots(this.concurrency);
  private readonly running = new Map<string, Subscription>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private nextId = 1;
  /** Each file's upload at the API, so that canceling cancels it and a multipart one resumes. */
  private readonly records = new Map<string, CreatedUpload>();
  /** Uploads of earlier visits offered for resuming, by item. */
  private readonly offers = new Map<string, CreatedUpload>();
  /** Items the person chose to start over: no earlier upload is offered for them. */
  private readonly fresh = new Set<string>();
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

  readonly summary = computed(() => summarize(this.items()));

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
    if (!item || !['queued', 'signing', 'uploading', 'paused', 'resumable'].includes(item.state.status))
      return;
    this.stop(id);
    this.discard(id);
    this.offers.delete(id);
    void this.resumePoints.forget(item.file).catch(() => undefined);
    this.setState(id, { status: 'canceled' });
    this.announce(`${item.file.name} canceled`);
    this.pump();
  }

  /** Stops a file's transfers; a multipart upload keeps what storage holds, for `resume()`. */
  pause(id: string): void {
    const item = this.find(id);
    if (!item || !['queued', 'signing', 'uploading'].includes(item.state.status)) return;
    this.stop(id);
    // A POST cannot continue where it stopped; it starts again, with a new policy, on resume.
    if (this.records.get(id)?.method === 'post') this.discard(id);
    const { state } = item;
    const loaded = state.status === 'uploading' ? state.loaded : 0;
    this.setState(id, { status: 'paused', loaded, total: item.file.size });
    this.announce(`${item.file.name} paused`);
    this.pump();
  }

  /** Continues a paused file, or an earlier visit's upload of it, from what storage holds. */
  resume(id: string): void {
    const item = this.find(id);
    if (!item || (item.state.status !== 'paused' && item.state.status !== 'resumable')) return;
    const offer = this.offers.get(id);
    if (offer) this.records.set(id, offer);
    this.offers.delete(id);
    this.setState(id, { status: 'queued', retries: 0 });
    this.pump();
  }

  /** Drops an earlier visit's upload of this file (canceling it at the API) and sends it anew. */
  startOver(id: string): void {
    const item = this.find(id);
    if (!item || item.state.status !== 'resumable') return;
    const offer = this.offers.get(id);
    this.offers.delete(id);
    if (offer) this.transport.discard(offer.id).subscribe({ error: () => undefined });
    void this.resumePoints.forget(item.file).catch(() => undefined);
    this.fresh.add(id);
    this.setState(id, { status: 'queued', retries: 0 });
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
    // A failed multipart upload kept for a retry is let go of, at storage too.
    if (item.state.status !== 'done') this.discard(id);
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
    let baseline: number | undefined;
    this.setState(id, { status: 'signing', retries });
    const subscription = this.uploadFor(item)
      .pipe(
        switchMap((upload) => {
          if (!upload) return EMPTY;
          this.records.set(id, upload);
          this.setState(id, { status: 'uploading', retries, loaded: 0, total: file.size, bytesPerSecond: 0 });
          const strategy = upload.method === 'multipart' ? this.multipart : this.post;
          return strategy.transfer({ owner: id, file, upload, slots: this.slots }).pipe(
            concatMap((event): Observable<TransferEvent | Verified> => {
              if (event.type === 'progress') return of(event);
              this.setState(id, { status: 'verifying', retries });
              return this.verify(upload.id).pipe(map((record) => ({ type: 'verified' as const, record })));
            }),
          );
        }),
      )
      .subscribe({
        next: (event) => {
          if (event.type === 'progress') {
            // Speed counts this attempt's bytes, not the parts storage already held.
            baseline ??= event.loaded;
            const seconds = (Date.now() - startedAt) / 1000;
            const bytesPerSecond = seconds > 0 ? (event.loaded - baseline) / seconds : 0;
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
            void this.resumePoints.forget(file).catch(() => undefined);
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
          const failure = error instanceof UploadError ? error : new UploadError('network', messageOf(error));
          // The API refused the upload itself (gone, or no longer pending): a retry starts anew.
          if (failure.kind === 'invalid-request') {
            this.discard(id);
            void this.resumePoints.forget(file).catch(() => undefined);
          }
          this.fail(item, retries, failure);
          this.pump();
        },
        // Only an upload offered for resuming ends without a verdict: it waits for the person.
        complete: () => {
          if (this.running.delete(id)) this.pump();
        },
      });
    // A synchronous failure has already finished the attempt; keep only live ones.
    if (!subscription.closed) this.running.set(id, subscription);
  }

  /**
   * The upload to send this file to: its kept multipart upload, or a new one. A large file that an
   * earlier visit began is offered for resuming instead (undefined: the item now waits for a choice).
   */
  private uploadFor(item: UploadItem): Observable<CreatedUpload | undefined> {
    const kept = this.records.get(item.id);
    if (kept?.method === 'multipart') return of(kept);
    if (kept) this.discard(item.id);
    const threshold = this.config()?.multipartThreshold ?? Infinity;
    if (this.fresh.has(item.id) || !usesMultipart(item.file.size, threshold)) return this.create(item);
    return from(this.resumePoints.find(item.file)).pipe(
      switchMap((offer) => {
        if (!offer) return this.create(item);
        this.offers.set(item.id, offer.upload);
        this.setState(item.id, {
          status: 'resumable',
          storedBytes: offer.storedBytes,
          total: item.file.size,
        });
        this.announce(`${item.file.name}: ${percentOf(offer.storedBytes, item.file.size)}% already stored`);
        return of(undefined);
      }),
    );
  }

  private create(item: UploadItem): Observable<CreatedUpload> {
    const { file } = item;
    return this.transport
      .create({ fileName: file.name, contentType: item.contentType, size: file.size })
      .pipe(
        tap((created) => {
          if (created.method === 'multipart')
            void this.resumePoints.save(file, created).catch(() => undefined);
        }),
      );
  }

  /** Best effort: a record left pending is expired by the server once its time is up. */
  private discard(id: string): void {
    const upload = this.records.get(id);
    this.records.delete(id);
    if (upload) this.transport.discard(upload.id).subscribe({ error: () => undefined });
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
