import type { Provider } from '@angular/core';
import { UploadQueue } from './upload-queue';
import { CreateAhead } from './queue/create-ahead';
import { HttpUploadTransport, UploadTransport } from './upload-transport';
import { Md5Hasher } from './md5/md5-hasher';
import { WorkerMd5Hasher } from './md5/worker-md5-hasher';
import { QueueState } from './queue/queue-state';
import { ScanWatch } from './queue/scan-watch';
import { UploadAttempts } from './queue/upload-attempt';
import { UploadCompletion } from './queue/upload-completion';
import { UploadKeeper } from './queue/upload-keeper';
import { UploadScheduler } from './queue/upload-scheduler';
import { IndexedDbResumeStore } from './resume/indexed-db-resume-store';
import { ResumePoints } from './resume/resume-points';
import { ResumeStore } from './resume/resume-store';
import { UnfinishedUploads } from './resume/unfinished-uploads';
import { MultipartStrategy } from './strategies/multipart-strategy';
import { PostStrategy } from './strategies/post-strategy';

/** The queue and its parts, its strategies and the resume points, over a transport, hasher and store given elsewhere. */
export function provideUploadQueue(): Provider[] {
  return [
    UploadQueue,
    QueueState,
    CreateAhead,
    UploadScheduler,
    UploadAttempts,
    UploadCompletion,
    ScanWatch,
    UploadKeeper,
    PostStrategy,
    MultipartStrategy,
    ResumePoints,
    UnfinishedUploads,
  ];
}

/**
 * The queue with its HTTP transport, the MD5 worker and the IndexedDB resume store, for a route
 * or component that uploads.
 */
export function provideUploads(): Provider[] {
  return [
    ...provideUploadQueue(),
    { provide: UploadTransport, useClass: HttpUploadTransport },
    { provide: Md5Hasher, useClass: WorkerMd5Hasher },
    { provide: ResumeStore, useExisting: IndexedDbResumeStore },
  ];
}
