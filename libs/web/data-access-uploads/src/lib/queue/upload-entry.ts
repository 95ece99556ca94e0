import { computed, signal, type WritableSignal } from '@angular/core';
import { Observable, ReplaySubject, of, switchMap, take, type Subscription } from 'rxjs';
import type {
  CreateUploadRequest,
  CreatedMultipartUpload,
  CreatedUpload,
} from '@dropgate/shared/api-contract';
import type { UploadItem, UploadState } from '../upload-state';
import type { UploadKeeper } from './upload-keeper';

/** A create call, which outlives the attempt that made it so that its answer is never dropped. */
interface Creation {
  answer: ReplaySubject<CreatedUpload>;
  started: boolean;
  /** The file was canceled or removed meanwhile: the upload the answer names is canceled at once. */
  abandoned: boolean;
}

/** An upload created ahead of the file's attempt, in a batch with other files added at once. */
interface Ahead {
  /** The batch's answer for this file; undefined when the batch failed (the file creates its own). */
  answer: ReplaySubject<CreatedUpload | undefined>;
  upload?: CreatedUpload;
  /** The file was let go of before the batch answered: its upload is canceled on arrival. */
  abandoned: boolean;
}

/** An upload created ahead is used only while its policy has at least this long to live. */
export const AHEAD_MARGIN_MS = 60_000;

/**
 * One file in the queue and everything it holds: its state, the attempt under way, its retry timer,
 * the create call in flight, its upload at the API, an earlier visit's upload offered for
 * resuming, and the watch for its scan's verdict. `stop()` ends the attempt and the watch and keeps
 * the upload; `letGo()` also cancels the upload and the offer at the API and forgets the resume
 * point, so nothing is left holding quota.
 */
export class UploadEntry {
  readonly state: WritableSignal<UploadState>;
  readonly item = computed((): UploadItem => ({
    id: this.id,
    file: this.file,
    contentType: this.contentType,
    previewUrl: this.previewUrl,
    state: this.state(),
  }));
  /** The person chose to start over: no earlier upload is offered for this file again. */
  fresh = false;
  /** The upload at the API the file is sent to; a multipart one is kept across pauses and retries. */
  private upload?: CreatedUpload;
  private offer?: CreatedMultipartUpload;
  private attempt?: Subscription;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private creation?: Creation;
  private ahead?: Ahead;
  /**
   * The Idempotency-Key of the file's next create, kept until a create answers: a retry after a
   * lost answer gets the same upload back instead of a second one.
   */
  private createKey?: string;
  private scanWatch?: Subscription;

  constructor(
    readonly id: string,
    readonly file: File,
    readonly contentType: string,
    readonly previewUrl: string | undefined,
    initial: UploadState,
    private readonly keeper: UploadKeeper,
  ) {
    this.state = signal(initial);
  }

  get running(): boolean {
    return this.attempt !== undefined && !this.attempt.closed;
  }

  /** Holds the attempt's subscription; one that already ended (synchronously) is not kept. */
  begin(attempt: Subscription): void {
    if (!attempt.closed) this.attempt = attempt;
  }

  /** The attempt finished by itself; true when it was still counted as running. */
  attemptEnded(): boolean {
    const was = this.attempt !== undefined;
    this.attempt = undefined;
    return was;
  }

  retryIn(ms: number, then: () => void): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => ((this.retryTimer = undefined), then()), ms);
  }

  /** Ends the attempt (aborting its requests), the retry timer and the scan watch; the upload is kept. */
  stop(): void {
    this.attempt?.unsubscribe();
    this.attempt = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.scanWatch?.unsubscribe();
    this.scanWatch = undefined;
  }

  /** What `POST /api/uploads` is asked for this file. */
  get request(): CreateUploadRequest {
    return { fileName: this.file.name, contentType: this.contentType, size: this.file.size };
  }

  /**
   * The file's upload is being created ahead, in a batch: its first attempt waits for that answer
   * instead of creating its own. Returns how the batch hands it over (undefined if the batch failed).
   */
  expectAhead(): (upload: CreatedUpload | undefined) => void {
    const ahead: Ahead = { answer: new ReplaySubject(1), abandoned: false };
    this.ahead = ahead;
    return (upload) => {
      if (ahead.abandoned) {
        if (upload) this.keeper.release(upload);
        return;
      }
      ahead.upload = upload;
      ahead.answer.next(upload);
      ahead.answer.complete();
    };
  }

  keptUpload(): CreatedUpload | undefined {
    return this.upload;
  }

  /**
   * The file's upload: the one created ahead in a batch, while its policy is fresh; else one
   * created through `call` (see createOwn).
   */
  create(call: (idempotencyKey: string) => Observable<CreatedUpload>): Observable<CreatedUpload> {
    const ahead = this.ahead;
    if (!ahead) return this.createOwn(call);
    return ahead.answer.pipe(
      take(1),
      switchMap((upload) => {
        if (this.ahead === ahead) this.ahead = undefined;
        if (!upload) return this.createOwn(call);
        if (Date.parse(upload.expiresAt) - Date.now() < AHEAD_MARGIN_MS) {
          this.keeper.release(upload);
          return this.createOwn(call);
        }
        this.upload = upload;
        if (upload.method === 'multipart') this.keeper.remember(this.file, upload);
        return of(upload);
      }),
    );
  }

  /**
   * Creates the file's upload through `call`, once: a second attempt while the first call is in
   * flight waits for the same answer. The answer is kept even when no attempt waits for it any
   * more (the file was paused): a multipart upload, to resume; a POST's policy is canceled, as a
   * POST starts anew. When the file was let go of meanwhile, the upload is canceled.
   */
  private createOwn(call: (idempotencyKey: string) => Observable<CreatedUpload>): Observable<CreatedUpload> {
    const creation = (this.creation ??= { answer: new ReplaySubject(1), started: false, abandoned: false });
    const key = (this.createKey ??= newKey());
    return new Observable<CreatedUpload>((subscriber) => {
      const waiting = creation.answer.subscribe(subscriber);
      if (!creation.started) {
        creation.started = true;
        call(key).subscribe({
          next: (upload) => this.created(creation, upload),
          error: (error: unknown) => {
            if (this.creation === creation) this.creation = undefined;
            creation.answer.error(error);
          },
        });
      }
      return waiting;
    });
  }

  private created(creation: Creation, upload: CreatedUpload): void {
    if (this.creation === creation) this.creation = undefined;
    this.createKey = undefined;
    const unwanted = upload.method === 'post' && !creation.answer.observed;
    if (creation.abandoned || unwanted) {
      this.keeper.release(upload);
    } else {
      this.upload = upload;
      if (upload.method === 'multipart') this.keeper.remember(this.file, upload);
    }
    creation.answer.next(upload);
    creation.answer.complete();
  }

  /** Cancels the upload at the API (a POST's policy after a pause, or one the API refused). */
  releaseUpload(): void {
    if (this.upload) this.keeper.release(this.upload);
    this.upload = undefined;
  }

  /** A POST cannot continue where it stopped: its policy is canceled, and a new one made later. */
  releasePostUpload(): void {
    if (this.upload?.method === 'post') this.releaseUpload();
  }

  /**
   * The upload is stored and being scanned: nothing is left to resume, but the upload is still the
   * file's to cancel until the verdict comes. Holds the watch for that verdict (one that already
   * ended is not kept).
   */
  awaitVerdict(watch: Subscription): void {
    this.keeper.forget(this.file);
    if (!watch.closed) this.scanWatch = watch;
  }

  /** The upload reached its verdict: nothing is left to cancel, and nothing to resume. */
  settled(): void {
    this.upload = undefined;
    this.keeper.forget(this.file);
  }

  offerResume(offer: CreatedMultipartUpload): void {
    this.offer = offer;
  }

  /** The person chose to resume the earlier upload: it becomes the one the file is sent to. */
  acceptOffer(): void {
    if (this.offer) this.upload = this.offer;
    this.offer = undefined;
  }

  /** The person chose to start over: the earlier upload is canceled, and its resume point forgotten. */
  declineOffer(): void {
    if (this.offer) this.keeper.release(this.offer);
    this.offer = undefined;
    this.keeper.forget(this.file);
    this.fresh = true;
  }

  /** Stops, and cancels everything the file holds at the API: its upload, a create in flight, the offer. */
  letGo(): void {
    this.stop();
    if (this.creation) this.creation.abandoned = true;
    this.creation = undefined;
    if (this.ahead) {
      this.ahead.abandoned = true;
      if (this.ahead.upload) this.keeper.release(this.ahead.upload);
      this.ahead = undefined;
    }
    this.releaseUpload();
    if (this.offer) this.keeper.release(this.offer);
    this.offer = undefined;
    this.keeper.forget(this.file);
  }

  /** Lets go, and frees what the page itself holds (the preview). */
  dispose(): void {
    this.letGo();
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
  }
}

/** A random key; `randomUUID` exists only in secure contexts (HTTPS or localhost). */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}
