import { Injectable, inject } from '@angular/core';
import type { CreatedMultipartUpload, CreatedUpload } from '@dropgate/shared/api-contract';
import { ResumePoints } from '../resume/resume-points';
import { UploadTransport } from '../upload-transport';

/**
 * What a queue entry does with an upload it holds, outside the page: remember a multipart one for
 * resuming, cancel one at the API (which aborts a multipart one at storage), or forget the file's
 * resume point. Best effort: a record left pending is expired by the server once its time is up.
 */
@Injectable()
export class UploadKeeper {
  private readonly transport = inject(UploadTransport);
  private readonly resumePoints = inject(ResumePoints);

  remember(file: File, upload: CreatedMultipartUpload): void {
    void this.resumePoints.save(file, upload).catch(() => undefined);
  }

  release(upload: CreatedUpload): void {
    this.transport.discard(upload.id).subscribe({ error: () => undefined });
  }

  forget(file: File): void {
    void this.resumePoints.forget(file).catch(() => undefined);
  }
}
