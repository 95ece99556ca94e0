import { Injectable, inject } from '@angular/core';
import { type Observable, concatMap, defer, first, of, repeat, retry, throwError, timer } from 'rxjs';
import type { UploadRecord } from '@dropgate/shared/api-contract';
import { RETRY_RULES } from '../retry-rules';
import { UploadError } from '../upload-error';
import { UploadTransport } from '../upload-transport';
import { UploadCompletion } from './upload-completion';

/** The wait before the first question; each later wait doubles, up to the cap. */
const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 5000;

/**
 * The verdict on a file the API is scanning. Its record is asked for until it has left
 * `scanning`, first after 500 ms, then at doubling waits of up to 5 s: a scan takes as long as the
 * file is large, and the API sets no deadline the page could know. A failure that backing off
 * helps (network, 429, 5xx) is asked again on that schedule, however often, since the file is
 * stored whatever the page hears meanwhile; one for want of a token waits for sign-in, as
 * completion does; any other (the upload is gone) ends the watch.
 */
@Injectable()
export class ScanWatch {
  private readonly transport = inject(UploadTransport);
  private readonly completion = inject(UploadCompletion);

  /** The record once it is no longer scanning; unsubscribing stops asking. */
  verdict(uploadId: string): Observable<UploadRecord> {
    return defer(() => {
      let waits = 0;
      const wait = () => timer(Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** waits++));
      return defer(wait).pipe(
        concatMap(() => this.transport.get(uploadId)),
        retry({ delay: (error: unknown) => this.askAgain(error) }),
        repeat(),
        first((record) => record.status !== 'scanning'),
      );
    });
  }

  /** When to ask again after a failure (the next wait of the schedule follows), or the failure. */
  private askAgain(error: unknown): Observable<unknown> {
    if (!(error instanceof UploadError)) return throwError(() => error);
    const { action } = RETRY_RULES[error.kind];
    if (action === 'sign-in') return this.completion.untilSignedIn();
    if (action === 'backoff') return error.retryAfterMs === undefined ? of(null) : timer(error.retryAfterMs);
    return throwError(() => error);
  }
}
