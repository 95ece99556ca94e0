import { DestroyRef, Injectable, inject } from '@angular/core';
import type { UploadRecord } from '@dropgate/shared/api-contract';
import { percentOf } from '../format';
import { RETRY_RULES, retryDelay } from '../retry-rules';
import { TransferSlots } from '../transfer-slots';
import { UPLOAD_CONCURRENCY } from '../upload-concurrency.token';
import { UploadError, isUploadGone } from '../upload-error';
import { QueueState } from './queue-state';
import { ScanWatch } from './scan-watch';
import { UploadAttempts, type AttemptEvent } from './upload-attempt';
import { UploadCompletion } from './upload-completion';
import type { UploadEntry } from './upload-entry';
import { outcomeOf } from './upload-outcome';

/**
 * Starts files in order while fewer than `UPLOAD_CONCURRENCY` attempts are creating or sending
 * (their transfers share as many slots, fairly: TransferSlots), and nothing while the queue waits
 * for sign-in. A file whose bytes are stored and that waits for complete's answer no longer
 * counts: the next file's transfer does not wait for it. A failed
 * attempt follows RETRY_RULES: queued again at once or after a timer, or failed. A file being
 * scanned holds no slot: its entry watches for the verdict while other files go on.
 */
@Injectable()
export class UploadScheduler {
  private readonly state = inject(QueueState);
  private readonly attempts = inject(UploadAttempts);
  private readonly completion = inject(UploadCompletion);
  private readonly scans = inject(ScanWatch);
  private readonly concurrency = inject(UPLOAD_CONCURRENCY);
  private readonly slots = new TransferSlots(this.concurrency);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      for (const entry of this.state.entries()) entry.stop();
    });
  }

  pump(): void {
    if (this.completion.waitingForSignIn()) return;
    const now = Date.now();
    const entries = this.state.entries();
    for (const entry of entries) {
      if (entries.filter((e) => e.running && e.state().status !== 'verifying').length >= this.concurrency)
        return;
      const state = entry.state();
      if (state.status === 'queued' && (state.retryAt ?? 0) <= now && !entry.running) {
        this.start(entry, state.retries);
      }
    }
  }

  private start(entry: UploadEntry, retries: number): void {
    const startedAt = Date.now();
    let baseline: number | undefined;
    entry.state.set({ status: 'signing', retries });
    const subscription = this.attempts.run(entry, this.slots).subscribe({
      next: (event) => {
        if (event.type === 'progress') {
          // Speed counts this attempt's bytes, not the parts storage already held.
          baseline ??= event.loaded;
          const seconds = (Date.now() - startedAt) / 1000;
          const bytesPerSecond = seconds > 0 ? (event.loaded - baseline) / seconds : 0;
          const { loaded, total } = event;
          entry.state.set({ status: 'uploading', retries, loaded, total, bytesPerSecond });
        } else {
          this.apply(entry, retries, event);
        }
      },
      error: (error: unknown) => {
        entry.attemptEnded();
        this.failed(entry, retries, error);
      },
      // Only an attempt that offered an earlier upload ends without a verdict: it waits for the person.
      complete: () => {
        if (entry.attemptEnded()) this.pump();
      },
    });
    entry.begin(subscription);
  }

  private apply(
    entry: UploadEntry,
    retries: number,
    event: Exclude<AttemptEvent, { type: 'progress' }>,
  ): void {
    const { file } = entry;
    switch (event.type) {
      case 'sending':
        entry.state.set({ status: 'uploading', retries, loaded: 0, total: file.size, bytesPerSecond: 0 });
        return;
      case 'verifying':
        entry.state.set({ status: 'verifying', retries });
        this.pump();
        return;
      case 'offered':
        entry.state.set({ status: 'resumable', storedBytes: event.storedBytes, total: file.size });
        this.state.announce(`${file.name}: ${percentOf(event.storedBytes, file.size)}% already stored`);
        return;
      case 'verified':
        entry.attemptEnded();
        this.conclude(entry, retries, event.record);
        this.pump();
        return;
      default: {
        const unknown: never = event;
        throw new Error(`Unhandled attempt event ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Shows what the record says of the file; one still scanning is watched until it has a verdict. */
  private conclude(entry: UploadEntry, retries: number, record: UploadRecord): void {
    const outcome = outcomeOf(entry.file.name, record);
    if ('error' in outcome) {
      entry.settled();
      this.fail(entry, retries, outcome.error);
      return;
    }
    entry.state.set(outcome.state);
    this.state.announce(outcome.says);
    if (record.status !== 'scanning') {
      entry.settled();
      return;
    }
    const watch = this.scans.verdict(record.id).subscribe({
      next: (verdict) => this.conclude(entry, retries, verdict),
      // No verdict to be had: the upload is canceled, so that a retry leaves no second copy behind.
      error: (error: unknown) => {
        entry.releaseUpload();
        this.failed(entry, retries, error);
      },
    });
    entry.awaitVerdict(watch);
  }

  private failed(entry: UploadEntry, retries: number, error: unknown): void {
    const failure = error instanceof UploadError ? error : new UploadError('network', messageOf(error));
    // The API no longer has the upload (gone, or no longer pending): a retry starts anew.
    if (isUploadGone(failure)) {
      entry.releaseUpload();
      entry.settled();
    }
    this.fail(entry, retries, failure);
    this.pump();
  }

  private fail(entry: UploadEntry, retries: number, error: UploadError): void {
    if (RETRY_RULES[error.kind].action === 'sign-in') {
      entry.state.set({ status: 'queued', retries, lastError: error });
      this.completion.pauseForSignIn();
      return;
    }
    const next = retries + 1;
    const delay = retryDelay(error.kind, next, error.retryAfterMs);
    if (delay === undefined) {
      entry.state.set({ status: 'failed', error, retries });
      this.state.announce(`${entry.file.name} failed: ${error.message}`);
      return;
    }
    entry.state.set({ status: 'queued', retries: next, retryAt: Date.now() + delay, lastError: error });
    if (delay > 0) entry.retryIn(delay, () => this.pump());
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
