import { Injectable, InjectionToken, inject } from '@angular/core';
import { MAX_BATCH_FILES } from '@dropgate/shared/api-contract';
import { usesMultipart } from '@dropgate/shared/util-parts';
import { UPLOAD_CONCURRENCY } from '../upload-concurrency.token';
import { UploadTransport } from '../upload-transport';
import type { UploadEntry } from './upload-entry';

/** Whether files added at once are created ahead in batches (off in tests that count single creates). */
export const CREATE_AHEAD = new InjectionToken<boolean>('CREATE_AHEAD', { factory: () => true });

/**
 * Creates, in one `POST /api/uploads/batch` per hundred files, the uploads of files added at once
 * when there are more of them than can start together: each waiting file then starts its POST
 * without a create round trip of its own. Only files that go in one POST are created ahead (a
 * large file may have an earlier upload to resume). A batch that fails costs nothing but its
 * round trip: each of its files then creates its own upload, and gets its own error.
 */
@Injectable()
export class CreateAhead {
  private readonly transport = inject(UploadTransport);
  private readonly enabled = inject(CREATE_AHEAD);
  private readonly concurrency = inject(UPLOAD_CONCURRENCY);

  start(entries: readonly UploadEntry[], multipartThreshold: number): void {
    const single = entries.filter((entry) => !usesMultipart(entry.file.size, multipartThreshold));
    if (!this.enabled || single.length <= this.concurrency) return;
    for (let start = 0; start < single.length; start += MAX_BATCH_FILES) {
      const batch = single.slice(start, start + MAX_BATCH_FILES);
      const handOver = batch.map((entry) => entry.expectAhead());
      this.transport.createBatch(batch.map((entry) => entry.request)).subscribe({
        next: ({ uploads }) => handOver.forEach((give, index) => give(uploads[index])),
        error: () => handOver.forEach((give) => give(undefined)),
      });
    }
  }
}
