import { TestBed } from '@angular/core/testing';
import { Observable, Subject, of } from 'rxjs';
import type {
  CreateUploadRequest,
  CreatedPostUpload,
  UploadRecord,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { UPLOAD_CONCURRENCY } from './upload-concurrency.token';
import { UploadError } from './upload-error';
import { UploadQueue } from './upload-queue';
import { UploadTransport, type SendEvent } from './upload-transport';

const config: UploadsConfig = {
  maxFileSize: 1000,
  multipartThreshold: 1000,
  allowedTypes: ['text/plain', 'image/*'],
  expiresInSeconds: 300,
};

/** A transport whose every call is a Subject the test completes or fails by hand. */
class FakeTransport extends UploadTransport {
  readonly presigns: { request: CreateUploadRequest; reply: Subject<CreatedPostUpload> }[] = [];
  readonly completions: { id: string; reply: Subject<UploadRecord> }[] = [];
  /** What complete answers unless a test takes over: available. */
  autoComplete = true;
  readonly sends: { file: File; events: Subject<SendEvent>; aborted: boolean }[] = [];

  getConfig(): Observable<UploadsConfig> {
    return of(config);
  }

  create(request: CreateUploadRequest): Observable<CreatedPostUpload> {
    const reply = new Subject<CreatedPostUpload>();
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
    return new Observable<SendEvent>((subscriber) => {
      let finished = false;
      const subscription = call.events.subscribe({
        next: (event) => subscriber.next(event),
        error: (error) => ((finished = true), subscriber.error(error)),
        complete: () => ((finished = true), subscriber.complete()),
      });
      // Unsubscribing before the call finished is what aborts the XHR in the real transport.
      return () => {
        if (!finished) call.aborted = true;
        subscription.unsubscribe();
      };
    });
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

function setup(concurrency = 3) {
  TestBed.configureTestingModule({
    providers: [
      UploadQueue,
      { provide: UploadTransport, useClass: FakeTransport },
      { provide: UPLOAD_CONCURRENCY, useValue: concurrency },
    ],
  });
  const sut = TestBed.inject(UploadQueue);
  const transport = TestBed.inject(UploadTransport) as FakeTransport;
  sut.loadConfig();
  return { sut, transport };
}

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
      method: 'post',
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
    TestBed.configureTestingModule({
      providers: [UploadQueue, { provide: UploadTransport, useClass: FakeTransport }],
    });
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
});
