import { Injectable, inject } from '@angular/core';
import {
  type Observable,
  catchError,
  concat,
  defer,
  finalize,
  from,
  map,
  mergeMap,
  of,
  retry,
  startWith,
  switchMap,
  throwError,
  timer,
} from 'rxjs';
import type { SignedPart } from '@dropgate/shared/api-contract';
import { isPlannedPart, partLength, partRange, planOf, type PartPlan } from '@dropgate/shared/util-parts';
import { Md5Hasher } from '../md5/md5-hasher';
import { RETRY_RULES, retryDelay } from '../retry-rules';
import { UploadError } from '../upload-error';
import { UploadTransport } from '../upload-transport';
import type { TransferEvent, TransferJob, UploadStrategy } from './transfer';

/** A URL is taken as lapsed this long before its deadline: the request must start in time. */
const EXPIRY_MARGIN_MS = 1000;

/**
 * A file in parts: it asks storage which parts it already holds (so a paused, failed or reloaded
 * upload continues rather than restarts), then sends the others, as many at once as the shared
 * slots allow. Each part is read, hashed (MD5, in a worker) and signed just before it is sent;
 * storage checks its bytes against that MD5. Progress counts stored parts and the bytes of parts
 * in flight; a part that fails counts for nothing until it is sent again.
 */
@Injectable()
export class MultipartStrategy implements UploadStrategy {
  private readonly transport = inject(UploadTransport);
  private readonly hasher = inject(Md5Hasher);

  transfer({ owner, file, upload, slots, parts: toSend }: TransferJob): Observable<TransferEvent> {
    if (upload.method !== 'multipart') throw new Error('MultipartStrategy sends multipart uploads only');
    const plan = planOf(file.size, upload.partSize);
    const all = Array.from({ length: plan.partCount }, (_, i) => i + 1);
    // Parts completion named are sent again as named: a listing may still show a part storage lost.
    const storedParts: Observable<number[]> = toSend
      ? of(all.filter((n) => !toSend.includes(n)))
      : this.transport
          .listParts(upload.id)
          .pipe(
            map(({ parts }) =>
              parts.filter((p) => isPlannedPart(file.size, plan, p)).map((p) => p.partNumber),
            ),
          );
    return storedParts.pipe(
      switchMap((listed) => {
        const stored = new Set(listed);
        let storedBytes = [...stored].reduce((sum, n) => sum + partLength(file.size, plan, n), 0);
        const inFlight = new Map<number, number>();
        const progress = (): TransferEvent => ({
          type: 'progress',
          loaded: storedBytes + [...inFlight.values()].reduce((sum, n) => sum + n, 0),
          total: file.size,
        });
        const missing = all.filter((n) => !stored.has(n));
        const sendOne = (partNumber: number) =>
          this.sendPart(upload.id, file, plan, partNumber, (work) => slots.run(owner, work)).pipe(
            map((loaded) => {
              if (loaded === 'stored') {
                inFlight.delete(partNumber);
                storedBytes += partLength(file.size, plan, partNumber);
              } else {
                inFlight.set(partNumber, loaded);
              }
              return progress();
            }),
            finalize(() => inFlight.delete(partNumber)),
          );
        return concat(
          of(progress()),
          from(missing).pipe(mergeMap(sendOne, slots.size)),
          of<TransferEvent>({ type: 'stored' }),
        );
      }),
    );
  }

  /**
   * One part, retried by the retry table: a lapsed URL is signed again at once, a BadDigest is
   * read and hashed again (once), network errors and 5xx back off. Emits the bytes sent of the
   * current attempt (0 at each start), then `'stored'`.
   */
  private sendPart(
    id: string,
    file: File,
    plan: PartPlan,
    partNumber: number,
    inSlot: <T>(work: () => Observable<T>) => Observable<T>,
  ): Observable<number | 'stored'> {
    const { start, end } = partRange(file.size, plan, partNumber);
    const blob = file.slice(start, end);
    let md5: Promise<string> | undefined;
    const tries = new Map<string, number>();
    const attempt = () =>
      inSlot(() => {
        md5 ??= this.hasher.md5(blob);
        return from(md5).pipe(
          switchMap((digest) => this.transport.signParts(id, [{ partNumber, md5: digest }])),
          switchMap(({ parts: [signed] }) => {
            const deadline = deadlineOf(signed);
            return this.transport.putPart(signed, blob).pipe(
              map((event) => (event.type === 'progress' ? event.loaded : ('stored' as const))),
              catchError((error: unknown) =>
                throwError(() =>
                  Date.now() >= deadline - EXPIRY_MARGIN_MS
                    ? new UploadError('policy-expired', 'A part link lapsed — signing it again')
                    : error,
                ),
              ),
            );
          }),
          startWith(0),
        );
      });
    return defer(attempt).pipe(
      retry({
        delay: (error: unknown) => {
          const kind = error instanceof UploadError ? error.kind : 'network';
          const count = (tries.get(kind) ?? 0) + 1;
          tries.set(kind, count);
          if (RETRY_RULES[kind].action === 'rehash') md5 = undefined;
          const wait = retryDelay(kind, count, error instanceof UploadError ? error.retryAfterMs : undefined);
          if (wait !== undefined) return timer(wait);
          // Corrupted again with a fresh read: not something sending the file again would mend.
          const final =
            kind === 'bad-digest'
              ? new UploadError(
                  'policy-rejected',
                  `Part ${partNumber} arrived corrupted twice — check the connection, then retry`,
                )
              : error;
          return throwError(() => final);
        },
      }),
    );
  }
}

/** When a part URL lapses, by this page's clock: signed now, for `X-Amz-Expires` seconds. */
function deadlineOf(part: SignedPart): number {
  const seconds = Number(new URL(part.url).searchParams.get('X-Amz-Expires'));
  return Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000);
}
