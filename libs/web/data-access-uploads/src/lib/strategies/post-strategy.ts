import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { UploadTransport } from '../upload-transport';
import type { TransferEvent, TransferJob, UploadStrategy } from './transfer';

/** The whole file in one presigned POST, in one slot. */
@Injectable()
export class PostStrategy implements UploadStrategy {
  private readonly transport = inject(UploadTransport);

  transfer({ owner, file, upload, slots }: TransferJob): Observable<TransferEvent> {
    if (upload.method !== 'post') throw new Error('PostStrategy sends single POST uploads only');
    return slots
      .run(owner, () => this.transport.send(upload, file))
      .pipe(map((event): TransferEvent => (event.type === 'progress' ? event : { type: 'stored' })));
  }
}
