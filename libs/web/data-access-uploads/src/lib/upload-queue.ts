import { Injectable, inject } from '@angular/core';
import { contentTypeOf, rejectionReason } from './file-checks';
import { CreateAhead } from './queue/create-ahead';
import { QueueState } from './queue/queue-state';
import { UploadCompletion } from './queue/upload-completion';
import { UploadEntry } from './queue/upload-entry';
import { UploadKeeper } from './queue/upload-keeper';
import { UploadScheduler, messageOf } from './queue/upload-scheduler';
import { isFinished } from './upload-state';
import { UploadTransport } from './upload-transport';

const STOPPABLE = ['queued', 'signing', 'uploading'];
/** A file being scanned can be canceled too: until the verdict, its upload is still the person's to drop. */
const CANCELABLE = [...STOPPABLE, 'paused', 'resumable', 'scanning'];

/**
 * The upload queue, as the page drives it: files are checked, then go queued → signing → uploading
 * → verifying → (scanning, where the API scans) → done, infected or held. Each file is one
 * UploadEntry, which owns its requests, timers, upload, resume offer and scan watch. QueueState
 * holds what the screen shows, UploadScheduler starts and retries, UploadAttempts sends (through a
 * strategy), UploadCompletion checks, waiting for sign-in when the session ends, and ScanWatch
 * asks for the scan's verdict. Cancel and remove let go of everything a file holds, at the API
 * too; pause keeps a multipart upload, which resumes from the parts storage holds, also after a
 * reload.
 */
@Injectable()
export class UploadQueue {
  private readonly state = inject(QueueState);
  private readonly scheduler = inject(UploadScheduler);
  private readonly completion = inject(UploadCompletion);
  private readonly transport = inject(UploadTransport);
  private readonly keeper = inject(UploadKeeper);
  private readonly createAhead = inject(CreateAhead);
  /** Files given before the rules arrived; checked and queued as soon as they do. */
  private waiting: File[] = [];

  readonly config = this.state.config.asReadonly();
  readonly configError = this.state.configError.asReadonly();
  readonly items = this.state.items;
  readonly summary = this.state.summary;
  readonly announcement = this.state.announcement.asReadonly();
  readonly waitingForSignIn = this.completion.waitingForSignIn.asReadonly();

  loadConfig(): void {
    this.state.configError.set(undefined);
    this.transport.getConfig().subscribe({
      next: (config) => {
        this.state.config.set(config);
        const waiting = this.waiting;
        this.waiting = [];
        if (waiting.length > 0) this.add(waiting);
      },
      error: (error: unknown) => this.state.configError.set(messageOf(error)),
    });
  }

  add(files: readonly File[]): void {
    const config = this.state.config();
    if (!config) {
      this.waiting.push(...files);
      return;
    }
    const added = files.map((file) => {
      const reason = rejectionReason(file, config);
      const preview = !reason && file.type.startsWith('image/') ? createObjectUrl(file) : undefined;
      const initial = reason
        ? { status: 'rejected' as const, reason }
        : { status: 'queued' as const, retries: 0 };
      return new UploadEntry(this.state.newId(), file, contentTypeOf(file), preview, initial, this.keeper);
    });
    this.state.add(added);
    const refused = added.flatMap((entry) => {
      const state = entry.state();
      return state.status === 'rejected' ? [`${entry.file.name} refused: ${state.reason}`] : [];
    });
    const accepted = added.length - refused.length;
    this.createAhead.start(
      added.filter((entry) => entry.state().status === 'queued'),
      config.multipartThreshold,
    );
    this.state.announce(
      [accepted ? `${accepted} file${accepted > 1 ? 's' : ''} queued` : '', ...refused]
        .filter(Boolean)
        .join('. '),
    );
    this.scheduler.pump();
  }

  /** Stops a file and cancels its upload at the API, a create in flight and an offered one included. */
  cancel(id: string): void {
    const entry = this.state.find(id);
    if (!entry || !CANCELABLE.includes(entry.state().status)) return;
    entry.letGo();
    entry.state.set({ status: 'canceled' });
    this.state.announce(`${entry.file.name} canceled`);
    this.scheduler.pump();
  }

  /** Stops a file's transfers; a multipart upload keeps what storage holds, for `resume()`. */
  pause(id: string): void {
    const entry = this.state.find(id);
    if (!entry || !STOPPABLE.includes(entry.state().status)) return;
    const state = entry.state();
    entry.stop();
    entry.releasePostUpload();
    const loaded = state.status === 'uploading' ? state.loaded : 0;
    entry.state.set({ status: 'paused', loaded, total: entry.file.size });
    this.state.announce(`${entry.file.name} paused`);
    this.scheduler.pump();
  }

  /** Continues a paused file, or an earlier visit's upload of it, from what storage holds. */
  resume(id: string): void {
    const entry = this.state.find(id);
    const status = entry?.state().status;
    if (!entry || (status !== 'paused' && status !== 'resumable')) return;
    entry.acceptOffer();
    this.requeue(entry);
  }

  /** Drops an earlier visit's upload of this file (canceling it at the API) and sends it anew. */
  startOver(id: string): void {
    const entry = this.state.find(id);
    if (!entry || entry.state().status !== 'resumable') return;
    entry.declineOffer();
    this.requeue(entry);
  }

  retry(id: string): void {
    const entry = this.state.find(id);
    const status = entry?.state().status;
    if (!entry || (status !== 'failed' && status !== 'canceled')) return;
    this.requeue(entry);
  }

  /** Takes a file off the list, letting go of everything it holds. */
  remove(id: string): void {
    const entry = this.state.find(id);
    if (!entry) return;
    entry.dispose();
    this.state.remove(id);
    this.scheduler.pump();
  }

  /** Stops starting files until `resumeAfterSignIn()`; files already sending carry on. */
  pauseForSignIn(): void {
    this.completion.pauseForSignIn();
  }

  resumeAfterSignIn(): void {
    if (this.completion.resumeAfterSignIn()) this.scheduler.pump();
  }

  clearCompleted(): void {
    for (const item of this.items().filter(isFinished)) this.remove(item.id);
  }

  private requeue(entry: UploadEntry): void {
    entry.state.set({ status: 'queued', retries: 0 });
    this.scheduler.pump();
  }
}

function createObjectUrl(file: File): string | undefined {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : undefined;
}
