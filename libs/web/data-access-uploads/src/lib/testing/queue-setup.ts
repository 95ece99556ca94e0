import { TestBed } from '@angular/core/testing';
import { Md5Hasher } from '../md5/md5-hasher';
import { provideUploadQueue } from '../provide-uploads';
import { RESUME_OWNER } from '../resume/resume-owner';
import { FILE_FINGERPRINT } from '../resume/resume-points';
import { MemoryResumeStore, ResumeStore } from '../resume/resume-store';
import { UPLOAD_CONCURRENCY } from '../upload-concurrency.token';
import { CREATE_AHEAD } from '../queue/create-ahead';
import { UploadQueue } from '../upload-queue';
import { UploadTransport } from '../upload-transport';
import { FakeHasher, FakeTransport } from './fake-upload-transport';

export interface QueueSetup {
  concurrency?: number;
  store?: MemoryResumeStore;
  /** Who is signed in, for the resume points. */
  owner?: string;
  /** Whether files added at once are created ahead in batches (off: every file creates its own). */
  createAhead?: boolean;
}

/** The queue with fakes for everything that leaves the page. */
export function configure({
  concurrency = 3,
  store = new MemoryResumeStore(),
  owner = 'alice',
  createAhead = false,
}: QueueSetup = {}) {
  TestBed.configureTestingModule({
    providers: [
      ...provideUploadQueue(),
      { provide: UploadTransport, useClass: FakeTransport },
      { provide: Md5Hasher, useClass: FakeHasher },
      { provide: ResumeStore, useValue: store },
      { provide: FILE_FINGERPRINT, useValue: async (file: File) => `${file.name}|${file.size}` },
      { provide: RESUME_OWNER, useValue: () => owner },
      { provide: UPLOAD_CONCURRENCY, useValue: concurrency },
      { provide: CREATE_AHEAD, useValue: createAhead },
    ],
  });
}

export function setup(options: QueueSetup = {}) {
  const store = options.store ?? new MemoryResumeStore();
  configure({ ...options, store });
  const sut = TestBed.inject(UploadQueue);
  const transport = TestBed.inject(UploadTransport) as FakeTransport;
  const hasher = TestBed.inject(Md5Hasher) as FakeHasher;
  sut.loadConfig();
  return { sut, transport, hasher, store };
}

/** Lets promise callbacks (hashing, the resume store) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export const textFile = (name: string, size = 10) =>
  new File(['x'.repeat(size)], name, { type: 'text/plain' });
export const statuses = (sut: UploadQueue) => sut.items().map((i) => i.state.status);
