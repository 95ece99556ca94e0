import type { Provider } from '@angular/core';
import { UploadQueue } from './upload-queue';
import { HttpUploadTransport, UploadTransport } from './upload-transport';

/** The queue and its HTTP transport, for a route or component that uploads. */
export function provideUploads(): Provider[] {
  return [UploadQueue, { provide: UploadTransport, useClass: HttpUploadTransport }];
}
