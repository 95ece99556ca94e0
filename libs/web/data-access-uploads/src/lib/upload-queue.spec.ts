import { TestBed } from '@angular/core/testing';
import { Observable, Subject, of, throwError } from 'rxjs';
import type {
  CreateUploadRequest,
  CreatedUpload,
  CreatedPostUpload,
  PartToSign,
  SignedPart,
  SignedParts,
  StoredParts,
  UploadRecord,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { UPLOAD_CONCURRENCY } from './upload-concurrency.token';
import { Md5Hasher } from './md5/md5-hasher';
import { FILE_FINGERPRINT, ResumePoints } from './resume/resume-points';
import { MemoryResumeStore, ResumeStore } from './resume/resume-store';
import { MultipartStrategy } from './strategies/multipart-strategy';
import { PostStrategy } from './strategies/post-strategy';
import { UploadError } from './upload-error';
import { UploadQueue } from './upload-queue';
import { UploadTransport, type SendEvent } from './upload-transport';

const config: UploadsConfig = {
  maxFileSize: 1000,
  /** Files over 100 bytes go in parts, which the fake API cuts 4 bytes long. */
  multipartThreshold: 100,
  allowedTypes: ['text/plain', 'image/*'],
  expiresInSeconds: 300,
};

/**
 * A call to storage that the test answers through `events`; unsubscribing before it ended marks
 * it aborted, as unsubscribing aborts the XHR in the real transport.
 */
function held(call: { events: Subject<SendEvent>; aborted: boolean }): Observable<SendEvent> {
  return new Observable<SendEvent>((subscriber) => {
    let finished = false;
    const subscription = call.events.subscribe({
      next: (event) => subscriber.next(event),
      error: (error) => ((finished = true), subscriber.error(error)),
      complete: () => ((finished = true), subscriber.complete()),
    });
    return () => {
      if (!finished) call.aborted = true;
      subscription.unsubscribe();
    };
  });
}

/** A transport whose every call is a Subject the test completes or fails by hand. */
class FakeTransport extends UploadTransport {
  readonly presigns: { request: CreateUploadRequest; reply: Subject<CreatedUpload> }[] = [];
  readonly completions: { id: string; reply: Subject<UploadRecord> }[] = [];
  /** What complete answers unless a test takes over: available. */
  autoComplete = true;
  readonly sends: { file: File; events: Subject<SendEvent>; aborted: boolean }[] = [];

  getConfig(): Observable<UploadsConfig> {
    return of(config);
  }

  create(request: CreateUploadRequest): Observable<CreatedUpload> {
    const reply = new Subject<CreatedUpload>();
    this.presigns.push({ request, reply });
    return reply;
  }

  readonly discarded: string[] = [];
  discard(id: string): Observable<unknown> {
    this.discarded.push(id);
    return of(null);
  }

  complete(id: string): Observable<UploadRecord> {
    if (this.autoComplete) return of(record(id, 'available'));
    const reply = new Subject<UploadRecord>();
    this.completions.push({ id, reply });
    return reply;
  }

  send(_upload: CreatedPostUpload, file: File): Observable<SendEvent> {
    const call = { file, events: new Subject<SendEvent>(), aborted: false };
    this.sends.push(call);
    return held(call);
  }

  /** Multipart uploads the fake storage holds: part number → bytes. */
  readonly stored = new Map<string, Map<number, number>>();
  readonly signed: { id: string; parts: PartToSign[] }[] = [];
  readonly puts: { part: SignedPart; body: Blob; events: Subject<SendEvent>; aborted: boolean }[] = [];
  /** Seconds each part URL lives (X-Amz-Expires). */
  partUrlSeconds = 300;
  records = new Map<string, UploadRecord>();

  signParts(id: string, parts: PartToSign[]): Observable<SignedParts> {
    this.signed.push({ id, parts });
    return of({
      parts: parts.map(({ partNumber, md5 }) => ({
        partNumber,
        url: `http://s3.test/b/k?partNumber=${partNumber}&X-Amz-Expires=${this.partUrlSeconds}`,
        headers: { 'content-md5': md5 },
      })),
      expiresAt: '',
    });
  }

  listParts(id: string): Observable<StoredParts> {
    const parts = [...(this.stored.get(id) ?? new Map<number, number>())].map(([partNumber, size]) => ({
      partNumber,
      size,
      etag: '',
    }));
    return of({ parts });
  }

  get(id: string): Observable<UploadRecord> {
    const found = this.records.get(id);
    return found ? of(found) : throwError(() => new UploadError('invalid-request', 'No upload with this id'));
  }

  putPart(part: SignedPart, body: Blob): Observable<SendEvent> {
    const call = { part, body, events: new Subject<SendEvent>(), aborted: false };
    this.puts.push(call);
    return held(call);
  }

  /** Stores the n-th part PUT at the fake storage and answers 200. */
  storePut(n: number, uploadId = 'id-big.txt') {
    const call = this.puts[n];
    const partNumber = Number(new URL(call.part.url).searchParams.get('partNumber'));
    if (!this.stored.has(uploadId)) this.stored.set(uploadId, new Map());
    this.stored.get(uploadId)?.set(partNumber, call.body.size);
    call.events.next({ type: 'progress', loaded: call.body.size, total: call.body.size });
    call.events.next({ type: 'stored', key: '' });
    call.events.complete();
  }

  /** Part numbers of the PUTs still in flight. */
  partsInFlight(): number[] {
    return this.puts
      .filter((p) => p.events.observed && !p.aborted)
      .map((p) => Number(new URL(p.part.url).searchParams.get('partNumber')));
  }

  /** Answers the n-th create as the API does for a file over the threshold: parts of 4 bytes. */
  startMultipart(n: number) {
    const { request, reply } = this.presigns[n];
    reply.next({
      id: `id-${request.fileName}`,
      key: `k/${request.fileName}`,
      status: 'pending',
      method: 'multipart',
      partSize: 4,
      partCount: Math.ceil(request.size / 4),
      expiresAt: '',
    });
    reply.complete();
  }

  /** Signs the n-th presign request. */
  sign(n: number) {
    const { request, reply } = this.presigns[n];
    reply.next({
      id: `id-${request.fileName}`,
      key: `k/${request.fileName}`,
      status: 'pending',
      method: 'post',
      expiresAt: '',
      post: { url: 'http://s3.test/b', fields: {} },
    });
    reply.complete();
  }

  active(): number {
    return this.sends.filter((s) => !s.events.closed && !s.aborted).length;
  }
}

function record(id: string, status: UploadRecord['status'], reason?: UploadRecord['reason']): UploadRecord {
  return {
    id,
    key: `k/${id.replace(/^id-/, '')}`,
    fileName: id,
    contentType: 'text/plain',
    size: 1,
    status,
    ...(reason && { reason }),
    method: 'post',
    owner: { issuer: 'i', subject: 's' },
    createdAt: '',
    expiresAt: '',
  };
}

/** MD5s that name the bytes they were computed from, and count how often each part was hashed. */
class FakeHasher extends Md5Hasher {
  readonly hashed: number[] = [];
  async md5(blob: Blob): Promise<string> {
    this.hashed.push(blob.size);
    return `md5-of-${blob.size}-bytes#${this.hashed.length}`;
  }
}

/** The queue with fakes for everything that leaves the page. */
function configure(concurrency = 3, store = new MemoryResumeStore()) {
  TestBed.configureTestingModule({
    providers: [
      UploadQueue,
      PostStrategy,
      MultipartStrategy,
      ResumePoints,
      { provide: UploadTransport, useClass: FakeTransport },
      { provide: Md5Hasher, useClass: FakeHasher },
      { provide: ResumeStore, useValue: store },
      { provide: FILE_FINGERPRINT, useValue: async (file: File) => `${file.name}|${file.size}` },
      { provide: UPLOAD_CONCURRENCY, useValue: concurrency },
    ],
  });
}

function setup(concurrency = 3, store = new MemoryResumeStore()) {
  configure(concurrency, store);
  const sut = TestBed.inject(UploadQueue);
  const transport = TestBed.inject(UploadTransport) as FakeTransport;
  const hasher = TestBed.inject(Md5Hasher) as FakeHasher;
  sut.loadConfig();
  return { sut, transport, hasher, store };
}

/** Lets promise callbacks (hashing, the resume store) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const textFile = (name: string, size = 10) => new File(['x'.repeat(size)], name, { type: 'text/plain' });
const statuses = (sut: UploadQueue) => sut.items().map((i) => i.state.status);

describe('UploadQueue', () => {
  afterEach(() => jest.useRealTimers());

  it('should take a file through signing and uploading to done', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    expect(statuses(sut)).toEqual(['signing']);
    expect(transport.presigns[0].request).toEqual({
      fileName: 'a.txt',
      contentType: 'text/plain',
      size: 10,
    });

    transport.sign(0);
    expect(statuses(sut)).toEqual(['uploading']);
    transport.sends[0].events.next({ type: 'progress', loaded: 5, total: 10 });
    expect(sut.items()[0].state).toEqual(
      expect.objectContaining({ status: 'uploading', loaded: 5, total: 10 }),
    );
    expect(sut.summary().percent).toBe(50);

    transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
    expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/a.txt' });
    expect(sut.announcement()).toBe('a.txt stored');
  });

  it('should never run more than the concurrency cap at once', () => {
    const { sut, transport } = setup(3);
    sut.add([1, 2, 3, 4, 5].map((n) => textFile(`${n}.txt`)));
    expect(statuses(sut)).toEqual(['signing', 'signing', 'signing', 'queued', 'queued']);
    for (const n of [0, 1, 2]) transport.sign(n);
    expect(transport.active()).toBe(3);

    transport.sends[1].events.next({ type: 'stored', key: 'k/2.txt' });
    expect(statuses(sut)).toEqual(['uploading', 'done', 'uploading', 'signing', 'queued']);
    expect(transport.presigns).toHaveLength(4);
  });

  it('should refuse files the config rules out and never sign them', () => {
    const { sut, transport } = setup();
    sut.add([textFile('big.txt', 2000), new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' })]);
    expect(sut.items().map((i) => i.state)).toEqual([
      { status: 'rejected', reason: 'too large: 2 KB, limit 1000 B' },
      { status: 'rejected', reason: 'type not allowed: .exe' },
    ]);
    expect(transport.presigns).toHaveLength(0);
  });

  it('should abort a running upload on cancel and start the next file', () => {
    const { sut, transport } = setup(1);
    sut.add([textFile('a.txt'), textFile('b.txt')]);
    transport.sign(0);
    sut.cancel(sut.items()[0].id);
    expect(transport.sends[0].aborted).toBe(true);
    expect(statuses(sut)).toEqual(['canceled', 'signing']);
  });

  it('should cancel a queued file without ever signing it', () => {
    const { sut, transport } = setup(1);
    sut.add([textFile('a.txt'), textFile('b.txt')]);
    sut.cancel(sut.items()[1].id);
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k' });
    expect(statuses(sut)).toEqual(['done', 'canceled']);
    expect(transport.presigns).toHaveLength(1);
  });

  it('should re-sign at once when the policy expired', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.sign(0);
    transport.sends[0].events.error(new UploadError('policy-expired', 'This upload link expired — retry'));
    expect(statuses(sut)).toEqual(['signing']);
    expect(transport.presigns).toHaveLength(2);
  });

  it('should back off after a network error and then retry', () => {
    jest.useFakeTimers();
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.sign(0);
    transport.sends[0].events.error(
      new UploadError('network', 'Storage unreachable (network/CORS) — check your connection'),
    );
    expect(sut.items()[0].state).toEqual(expect.objectContaining({ status: 'queued', retries: 1 }));
    jest.advanceTimersByTime(999);
    expect(transport.presigns).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(transport.presigns).toHaveLength(2);
  });

  it('should wait as long as Retry-After says', () => {
    jest.useFakeTimers();
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.presigns[0].reply.error(
      new UploadError('rate-limited', 'Too many requests — retrying in 7 s', 7000),
    );
    jest.advanceTimersByTime(6999);
    expect(transport.presigns).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(transport.presigns).toHaveLength(2);
  });

  it('should fail at once, without retrying, on a rejection that would repeat', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.sign(0);
    transport.sends[0].events.error(
      new UploadError('size-mismatch', 'Rejected by storage: file larger than declared'),
    );
    expect(sut.items()[0].state).toEqual(
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ kind: 'size-mismatch' }),
      }),
    );
    expect(transport.presigns).toHaveLength(1);
    expect(sut.announcement()).toBe('a.txt failed: Rejected by storage: file larger than declared');
  });

  it('should give up after the table’s number of retries', () => {
    jest.useFakeTimers();
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    for (let attempt = 0; attempt < 4; attempt++) {
      transport.presigns[attempt].reply.error(new UploadError('server', 'Dropgate API error (500)'));
      jest.advanceTimersByTime(30_000);
    }
    expect(statuses(sut)).toEqual(['failed']);
    expect(transport.presigns).toHaveLength(4);
  });

  it('should start over when a person presses Retry', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.presigns[0].reply.error(new UploadError('invalid-request', 'refused'));
    expect(statuses(sut)).toEqual(['failed']);
    sut.retry(sut.items()[0].id);
    expect(statuses(sut)).toEqual(['signing']);
    expect(transport.presigns).toHaveLength(2);
  });

  it('should keep files given before the rules arrive and queue them once they do', () => {
    configure();
    const sut = TestBed.inject(UploadQueue);
    const transport = TestBed.inject(UploadTransport) as FakeTransport;
    sut.add([textFile('early.txt')]);
    expect(sut.items()).toHaveLength(0);
    sut.loadConfig();
    expect(statuses(sut)).toEqual(['signing']);
    expect(transport.presigns[0].request.fileName).toBe('early.txt');
  });

  it('should clear finished files and keep the rest', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt'), textFile('b.txt'), textFile('big.txt', 5000)]);
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k' });
    sut.clearCompleted();
    expect(sut.items().map((i) => i.file.name)).toEqual(['b.txt']);
  });

  describe('when the session ends', () => {
    it('should let files already sending finish, hold the rest in place, and go on after sign-in', () => {
      const { sut, transport } = setup(2);
      sut.add([textFile('a.txt'), textFile('b.txt'), textFile('c.txt'), textFile('d.txt')]);
      transport.sign(0);
      transport.presigns[1].reply.error(new UploadError('signed-out', 'Your session ended'));
      expect(sut.waitingForSignIn()).toBe(true);
      expect(statuses(sut)).toEqual(['uploading', 'queued', 'queued', 'queued']);
      expect(transport.presigns).toHaveLength(2);
      expect(sut.announcement()).toBe('Session ended. 3 files waiting: sign in again to continue');

      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      expect(statuses(sut)).toEqual(['done', 'queued', 'queued', 'queued']);
      expect(transport.presigns).toHaveLength(2);

      sut.resumeAfterSignIn();
      expect(sut.waitingForSignIn()).toBe(false);
      expect(transport.presigns.slice(2).map((p) => p.request.fileName)).toEqual(['b.txt', 'c.txt']);
      expect(sut.items().map((i) => i.file.name)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    });

    it('should keep the attempt count of a file sent back to wait', () => {
      const { sut, transport } = setup(1);
      sut.add([textFile('a.txt')]);
      transport.presigns[0].reply.error(new UploadError('signed-out', 'Your session ended'));
      expect(sut.items()[0].state).toEqual({
        status: 'queued',
        retries: 0,
        lastError: expect.objectContaining({ kind: 'signed-out' }),
      });
    });

    it('should start nothing while paused, even when files are added', () => {
      const { sut, transport } = setup();
      sut.pauseForSignIn();
      sut.add([textFile('late.txt')]);
      expect(statuses(sut)).toEqual(['queued']);
      expect(transport.presigns).toHaveLength(0);
      sut.resumeAfterSignIn();
      expect(statuses(sut)).toEqual(['signing']);
    });
  });

  it('should fail, not wait, when the account lacks the scope to upload', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.presigns[0].reply.error(new UploadError('forbidden', 'Your account may not upload files'));
    expect(statuses(sut)).toEqual(['failed']);
    expect(sut.waitingForSignIn()).toBe(false);
  });

  describe('verifying after storage answers', () => {
    it('should show verifying until complete says available, then done with the key', () => {
      const { sut, transport } = setup();
      transport.autoComplete = false;
      sut.add([textFile('a.txt')]);
      transport.sign(0);
      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      expect(statuses(sut)).toEqual(['verifying']);
      expect(transport.completions.map((c) => c.id)).toEqual(['id-a.txt']);
      transport.completions[0].reply.next(record('id-a.txt', 'available'));
      expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/a.txt' });
      expect(sut.announcement()).toBe('a.txt stored');
    });

    it('should fail a file the API rejected, saying why, and not retry it', () => {
      const { sut, transport } = setup();
      transport.autoComplete = false;
      sut.add([textFile('a.txt')]);
      transport.sign(0);
      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      transport.completions[0].reply.next(record('id-a.txt', 'rejected', 'size_mismatch'));
      const state = sut.items()[0].state;
      expect(state.status).toBe('failed');
      expect(state.status === 'failed' && state.error.message).toBe(
        'Rejected after upload: the stored file is not the size declared',
      );
      expect(transport.presigns).toHaveLength(1);
    });

    it('should retry completion alone after a server error, without sending the file again', () => {
      jest.useFakeTimers();
      const { sut, transport } = setup();
      transport.autoComplete = false;
      sut.add([textFile('a.txt')]);
      transport.sign(0);
      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      transport.completions[0].reply.error(new UploadError('server', 'Dropgate API error (502)'));
      jest.advanceTimersByTime(1000);
      expect(transport.completions).toHaveLength(2);
      transport.completions[1].reply.next(record('id-a.txt', 'available'));
      expect(statuses(sut)).toEqual(['done']);
      expect(transport.sends).toHaveLength(1);
    });
  });

  it('should keep a stored file waiting to be checked while the session is over, then check it', () => {
    const { sut, transport } = setup();
    transport.autoComplete = false;
    sut.add([textFile('a.txt')]);
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
    transport.completions[0].reply.error(new UploadError('signed-out', 'Your session ended'));
    expect(sut.waitingForSignIn()).toBe(true);
    expect(statuses(sut)).toEqual(['verifying']);
    sut.resumeAfterSignIn();
    expect(transport.completions).toHaveLength(2);
    transport.completions[1].reply.next(record('id-a.txt', 'available'));
    expect(statuses(sut)).toEqual(['done']);
    expect(transport.sends).toHaveLength(1);
  });

  it('should cancel the record of a file canceled while it was sending, and no other', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt'), textFile('b.txt')]);
    transport.sign(0);
    sut.cancel(sut.items()[0].id);
    sut.cancel(sut.items()[1].id);
    expect(transport.discarded).toEqual(['id-a.txt']);
    expect(statuses(sut)).toEqual(['canceled', 'canceled']);
  });

  describe('large files, in parts', () => {
    /** 10 bytes over a 100-byte threshold: the fake API cuts 110 bytes into 28 parts of 4. */
    const bigFile = (size = 110) => textFile('big.txt', size);
    const inFlight = (transport: FakeTransport) => [...transport.partsInFlight()].sort((a, b) => a - b);

    it('should send each part with its own MD5, count progress by bytes, and complete', async () => {
      const { sut, transport, hasher } = setup(2);
      sut.add([bigFile(10)]);
      expect(transport.presigns[0].request).toEqual({
        fileName: 'big.txt',
        contentType: 'text/plain',
        size: 10,
      });
      // 10 bytes are over no threshold, but the API may still choose parts; the answer decides.
      transport.startMultipart(0);
      await settle();
      expect(inFlight(transport)).toEqual([1, 2]);
      expect(transport.signed.map((c) => c.parts)).toEqual([
        [{ partNumber: 1, md5: 'md5-of-4-bytes#1' }],
        [{ partNumber: 2, md5: 'md5-of-4-bytes#2' }],
      ]);
      expect(transport.puts.map((p) => p.part.headers)).toEqual([
        { 'content-md5': 'md5-of-4-bytes#1' },
        { 'content-md5': 'md5-of-4-bytes#2' },
      ]);
      transport.puts[1].events.next({ type: 'progress', loaded: 3, total: 4 });
      expect(sut.items()[0].state).toMatchObject({ status: 'uploading', loaded: 3, total: 10 });
      transport.storePut(0);
      await settle();
      expect(sut.items()[0].state).toMatchObject({ status: 'uploading', loaded: 7 });
      expect(inFlight(transport)).toEqual([2, 3]);
      expect(hasher.hashed).toEqual([4, 4, 2]);
      transport.storePut(1);
      transport.storePut(2);
      await settle();
      expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/big.txt' });
    });

    it('should not count the bytes of a part that failed', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      const { sut, transport } = setup(1);
      sut.add([bigFile(10)]);
      transport.startMultipart(0);
      await jest.advanceTimersByTimeAsync(0);
      transport.puts[0].events.next({ type: 'progress', loaded: 3, total: 4 });
      expect(sut.items()[0].state).toMatchObject({ loaded: 3 });
      transport.puts[0].events.error(new UploadError('network', 'Storage unreachable'));
      await jest.advanceTimersByTimeAsync(1000);
      expect(sut.items()[0].state).toMatchObject({ status: 'uploading', loaded: 0 });
      expect(transport.puts).toHaveLength(2);
    });

    it('should share the slots fairly: a small file gets the next free one, not another part', async () => {
      const { sut, transport } = setup(2);
      sut.add([bigFile()]);
      await settle();
      transport.startMultipart(0);
      await settle();
      expect(inFlight(transport)).toEqual([1, 2]);
      sut.add([textFile('small.txt')]);
      transport.sign(1);
      expect(transport.active()).toBe(0);
      transport.storePut(0);
      await settle();
      expect(transport.active()).toBe(1);
      expect(inFlight(transport)).toEqual([2]);
      transport.sends[0].events.next({ type: 'stored', key: 'k/small.txt' });
      transport.sends[0].events.complete();
      await settle();
      expect(inFlight(transport)).toEqual([2, 3]);
    });

    it('should send a part storage refused as corrupted once more with a fresh MD5, then fail the file', async () => {
      const { sut, transport, hasher } = setup(1);
      sut.add([bigFile(4)]);
      transport.startMultipart(0);
      await settle();
      transport.puts[0].events.error(new UploadError('bad-digest', 'A part arrived other than it was read'));
      await settle();
      expect(hasher.hashed).toEqual([4, 4]);
      expect(transport.signed[1].parts[0].md5).toBe('md5-of-4-bytes#2');
      transport.puts[1].events.error(new UploadError('bad-digest', 'A part arrived other than it was read'));
      await settle();
      expect(sut.items()[0].state).toMatchObject({
        status: 'failed',
        error: {
          kind: 'policy-rejected',
          message: 'Part 1 arrived corrupted twice — check the connection, then retry',
        },
      });
    });

    it('should sign a part again at once when its URL lapsed in flight', async () => {
      const { sut, transport } = setup(1);
      transport.partUrlSeconds = 5;
      sut.add([bigFile(4)]);
      transport.startMultipart(0);
      await settle();
      const later = Date.now() + 6000;
      const now = jest.spyOn(Date, 'now').mockReturnValue(later);
      // The lapsed URL's 403 carries no CORS headers, so the page sees only a network error.
      transport.puts[0].events.error(new UploadError('network', 'Storage unreachable (network/CORS)'));
      await settle();
      now.mockRestore();
      expect(transport.signed).toHaveLength(2);
      expect(inFlight(transport)).toEqual([1]);
      expect(sut.items()[0].state.status).toBe('uploading');
    });

    it('should abort parts in flight on pause, and on resume send only what storage lacks', async () => {
      const { sut, transport } = setup(2);
      sut.add([bigFile(12)]);
      transport.startMultipart(0);
      await settle();
      transport.storePut(0);
      await settle();
      sut.pause(sut.items()[0].id);
      expect(sut.items()[0].state).toEqual({ status: 'paused', loaded: 4, total: 12 });
      expect(transport.puts.filter((p) => p.aborted)).toHaveLength(2);
      expect(transport.discarded).toEqual([]);
      sut.resume(sut.items()[0].id);
      await settle();
      expect(transport.presigns).toHaveLength(1);
      expect(inFlight(transport)).toEqual([2, 3]);
      expect(sut.items()[0].state).toMatchObject({ status: 'uploading', loaded: 4 });
    });

    it('should cancel a multipart upload at the API and forget it', async () => {
      const { sut, transport, store } = setup(1);
      sut.add([bigFile()]);
      await settle();
      transport.startMultipart(0);
      await settle();
      expect(await store.list()).toHaveLength(1);
      sut.cancel(sut.items()[0].id);
      await settle();
      expect(transport.discarded).toEqual(['id-big.txt']);
      expect(await store.list()).toEqual([]);
    });

    describe('after a reload', () => {
      const point = {
        fingerprint: 'big.txt|110',
        recordId: 'id-big.txt',
        partSize: 4,
        fileName: 'big.txt',
        size: 110,
        savedAt: 0,
      };
      function reloaded() {
        const store = new MemoryResumeStore();
        void store.put(point);
        const context = setup(2, store);
        context.transport.records.set('id-big.txt', {
          ...record('id-big.txt', 'pending'),
          method: 'multipart',
          size: 110,
          partSize: 4,
          partCount: 28,
        });
        context.transport.stored.set('id-big.txt', new Map([...Array(22)].map((_, i) => [i + 1, 4])));
        return context;
      }

      it('should offer to resume the same file, then send only the missing parts', async () => {
        const { sut, transport, store } = reloaded();
        sut.add([bigFile()]);
        await settle();
        expect(sut.items()[0].state).toEqual({ status: 'resumable', storedBytes: 88, total: 110 });
        expect(sut.announcement()).toBe('big.txt: 80% already stored');
        expect(transport.presigns).toHaveLength(0);
        sut.resume(sut.items()[0].id);
        await settle();
        expect(inFlight(transport)).toEqual([23, 24]);
        for (let n = 0; n < 6; n++) {
          transport.storePut(n);
          await settle();
        }
        expect(transport.puts).toHaveLength(6);
        expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/big.txt' });
        expect(await store.list()).toEqual([]);
      });

      it('should start over on request, canceling the earlier upload', async () => {
        const { sut, transport, store } = reloaded();
        sut.add([bigFile()]);
        await settle();
        sut.startOver(sut.items()[0].id);
        await settle();
        expect(transport.discarded).toEqual(['id-big.txt']);
        expect(transport.presigns).toHaveLength(1);
        expect(await store.list()).toEqual([]);
      });

      it('should forget an upload the API no longer has, and start anew', async () => {
        const { sut, transport, store } = reloaded();
        transport.records.clear();
        sut.add([bigFile()]);
        await settle();
        expect(sut.items()[0].state.status).toBe('signing');
        expect(transport.presigns).toHaveLength(1);
        expect(await store.get(point.fingerprint)).toBeUndefined();
      });

      it('should not offer the upload for another file of the same name', async () => {
        const { sut, transport } = reloaded();
        sut.add([bigFile(111)]);
        await settle();
        expect(transport.presigns).toHaveLength(1);
      });
    });
  });
});
