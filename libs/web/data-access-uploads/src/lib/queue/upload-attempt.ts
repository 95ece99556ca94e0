import { Injectable, inject } from '@angular/core';
import {
  type Observable,
  catchError,
  concat,
  concatMap,
  from,
  map,
  of,
  switchMap,
  takeWhile,
  throwError,
} from 'rxjs';
import type { CreatedUpload, UploadRecord } from '@dropgate/shared/api-contract';
import { usesMultipart } from '@dropgate/shared/util-parts';
import { retryDelay } from '../retry-rules';
import { ResumePoints } from '../resume/resume-points';
import { MultipartStrategy } from '../strategies/multipart-strategy';
import { PostStrategy } from '../strategies/post-strategy';
import type { TransferSlots } from '../transfer-slots';
import { UploadError } from '../upload-error';
import { UploadTransport } from '../upload-transport';
import { QueueState } from './queue-state';
import { UploadCompletion } from './upload-completion';
import type { UploadEntry } from './upload-entry';

/** How one attempt at a file goes, step by step, for the scheduler to show. */
export type AttemptEvent =
  /** An earlier visit's upload of the file is offered for resuming; the attempt ends here. */
  | { type: 'offered'; storedBytes: number }
  | { type: 'sending' }
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'verifying' }
  | { type: 'verified'; record: UploadRecord };

type Found = { type: 'upload'; upload: CreatedUpload } | { type: 'offered'; storedBytes: number };

/**
 * One attempt at a file: find or create its upload at the API, have a strategy send the bytes
 * (one POST, or parts), then complete. When completion names parts storage lacks, those parts
 * alone are sent again and completion asked again, as often as the retry table allows.
 */
@Injectable()
export class UploadAttempts {
  private readonly transport = inject(UploadTransport);
  private readonly state = inject(QueueState);
  private readonly completion = inject(UploadCompletion);
  private readonly resumePoints = inject(ResumePoints);
  private readonly post = inject(PostStrategy);
  private readonly multipart = inject(MultipartStrategy);

  run(entry: UploadEntry, slots: TransferSlots): Observable<AttemptEvent> {
    return this.uploadFor(entry).pipe(
      switchMap((found) =>
        found.type === 'offered'
          ? of(found)
          : concat(of({ type: 'sending' } as const), this.send(entry, found.upload, slots)),
      ),
    );
  }

  private send(
    entry: UploadEntry,
    upload: CreatedUpload,
    slots: TransferSlots,
    parts?: readonly number[],
    round = 0,
  ): Observable<AttemptEvent> {
    const strategy = upload.method === 'multipart' ? this.multipart : this.post;
    return strategy.transfer({ owner: entry.id, file: entry.file, upload, slots, parts }).pipe(
      takeWhile((event) => event.type !== 'stored', true),
      concatMap((event): Observable<AttemptEvent> => {
        if (event.type === 'progress') return of(event);
        return concat(
          of({ type: 'verifying' } as const),
          this.completion.verify(upload.id).pipe(map((record) => ({ type: 'verified' as const, record }))),
        );
      }),
      catchError((error: unknown) => {
        if (!(error instanceof UploadError) || error.kind !== 'parts-incomplete') {
          return throwError(() => error);
        }
        if (upload.method !== 'multipart' || retryDelay(error.kind, round + 1) === undefined) {
          return throwError(
            () =>
              new UploadError(
                'invalid-request',
                `Part ${error.parts.join(', ') || '?'} did not reach storage after sending it again — retry`,
              ),
          );
        }
        return this.send(entry, upload, slots, error.parts.length > 0 ? error.parts : undefined, round + 1);
      }),
    );
  }

  /**
   * The upload to send this file to: its kept multipart upload, or a new one. A large file that an
   * earlier visit began is offered for resuming instead, and the attempt waits for the person.
   */
  private uploadFor(entry: UploadEntry): Observable<Found> {
    const kept = entry.keptUpload();
    if (kept?.method === 'multipart') return of({ type: 'upload', upload: kept });
    entry.releasePostUpload();
    const threshold = this.state.config()?.multipartThreshold ?? Infinity;
    if (entry.fresh || !usesMultipart(entry.file.size, threshold)) return this.create(entry);
    return from(this.resumePoints.find(entry.file)).pipe(
      switchMap((offer) => {
        if (!offer) return this.create(entry);
        entry.offerResume(offer.upload);
        return of({ type: 'offered' as const, storedBytes: offer.storedBytes });
      }),
    );
  }

  private create(entry: UploadEntry): Observable<Found> {
    return entry
      .create((key) => this.transport.create(entry.request, key))
      .pipe(map((upload) => ({ type: 'upload' as const, upload })));
  }
}
