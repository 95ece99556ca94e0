import type { Provider } from '@angular/core';
import { UploadQueue } from './upload-queue';
import { HttpUploadTransport, UploadTransport } from './upload-transport';
import { Md5Hasher } from './md5/md5-hasher';
import { WorkerMd5Hasher } from './md5/worker-md5-hasher';
import { IndexedDbResumeStore } from './resume/indexed-db-resume-store';
import { ResumePoints } from './resume/resume-points';
import { ResumeStore } from './resume/resume-store';
import { UnfinishedUploads } from './resume/unfinished-uploads';
import { MultipartStrategy } from './strategies/multipart-strategy';
import { PostStrategy } from './strategies/post-strategy';

/**
 * The queue, its strategies and their HTTP transport, the MD5 worker and the resume store, for a
 * route or component that uploads.
 */
export function provideUploads(): Provider[] {
  return [
    UploadQueue,
    PostStrategy,
    MultipartStrategy,
    ResumePoints,
    UnfinishedUploads,
    { provide: UploadTransport, useClass: HttpUploadTransport },
    { provide: Md5Hasher, useClass: WorkerMd5Hasher },
    { provide: ResumeStore, useClass: IndexedDbResumeStore },
  ];
}
