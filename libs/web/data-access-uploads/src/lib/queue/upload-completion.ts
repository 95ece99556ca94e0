import { Injectable, inject, signal } from '@angular/core';
import { type Observable, Subject, defer, retry, take, throwError, timer } from 'rxjs';
import type { UploadRecord } from '@dropgate/shared/api-contract';
import { RETRY_RULES, retryDelay } from '../retry-rules';
import { UploadError } from '../upload-error';
import { UploadTransport } from '../upload-transport';
import { QueueState } from './queue-state';

/**
 * The end of a file's upload: the API checks the stored object (complete). A check that fails for
 * want of a token waits, with the whole queue, until the person signs in again; nothing is sent
 * again for it. When the session ends, what is sending to storage finishes (storage needs no
 * token), and the rest keeps its place.
 */
@Injectable()
export class UploadCompletion {
  private readonly transport = inject(UploadTransport);
  private readonly state = inject(QueueState);
  /** Emits when the person has signed in again, for checks that wait for a token. */
  private readonly resumed = new Subject<void>();

  /** True while the session has ended and nothing new starts until the person signs in again. */
  readonly waitingForSignIn = signal(false);

  pauseForSignIn(): void {
    if (this.waitingForSignIn()) return;
    this.waitingForSignIn.set(true);
    const waiting = this.state.items().filter((i) => i.state.status === 'queued').length;
    this.state.announce(
      `Session ended. ${waiting} file${waiting === 1 ? '' : 's'} waiting: sign in again to continue`,
    );
  }

  /** Pauses the queue for sign-in, for a call refused for want of a token; emits once the person is back. */
  untilSignedIn(): Observable<void> {
    this.pauseForSignIn();
    return this.resumed.pipe(take(1));
  }

  /** Lets the waiting checks run again; false when the queue was not waiting. */
  resumeAfterSignIn(): boolean {
    if (!this.waitingForSignIn()) return false;
    this.waitingForSignIn.set(false);
    this.state.announce('Signed in again: uploads continue');
    this.resumed.next();
    return true;
  }

  /**
   * Completes an upload whose bytes are stored. A failure that the retry table backs off from is
   * retried here, on completion alone: the file is not sent again.
   */
  verify(uploadId: string): Observable<UploadRecord> {
    return defer(() => this.transport.complete(uploadId)).pipe(
      retry({
        delay: (error: unknown, attempt: number) => {
          if (!(error instanceof UploadError)) return throwError(() => error);
          const { action } = RETRY_RULES[error.kind];
          if (action === 'sign-in') return this.untilSignedIn();
          const wait = retryDelay(error.kind, attempt, error.retryAfterMs);
          return wait === undefined || action !== 'backoff' ? throwError(() => error) : timer(wait);
        },
      }),
    );
  }
}
