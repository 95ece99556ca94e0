import { TestBed } from '@angular/core/testing';
import { UploadError } from './upload-error';
import { UploadQueue } from './upload-queue';
import { UploadTransport } from './upload-transport';
import { FakeTransport } from './testing/fake-upload-transport';
import { configure, setup, statuses, textFile } from './testing/queue-setup';

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
    expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/a.txt', uploadId: 'id-a.txt' });
    expect(sut.announcement()).toBe('a.txt stored');
  });

  it('should never run more than the concurrency cap at once', () => {
    const { sut, transport } = setup({ concurrency: 3 });
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
    const { sut, transport } = setup({ concurrency: 1 });
    sut.add([textFile('a.txt'), textFile('b.txt')]);
    transport.sign(0);
    sut.cancel(sut.items()[0].id);
    expect(transport.sends[0].aborted).toBe(true);
    expect(statuses(sut)).toEqual(['canceled', 'signing']);
  });

  it('should cancel a queued file without ever signing it', () => {
    const { sut, transport } = setup({ concurrency: 1 });
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

  it('should create again with the same Idempotency-Key after a lost answer, and a new key after an answer', () => {
    jest.useFakeTimers();
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.presigns[0].reply.error(
      new UploadError('network', 'The API is unreachable — check your connection'),
    );
    jest.advanceTimersByTime(1000);
    expect(transport.presigns).toHaveLength(2);
    expect(transport.presigns[1].idempotencyKey).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(transport.presigns[1].idempotencyKey).toBe(transport.presigns[0].idempotencyKey);
    transport.sign(1);
    transport.sends[0].events.error(new UploadError('policy-expired', 'This upload link expired — retry'));
    expect(transport.presigns).toHaveLength(3);
    expect(transport.presigns[2].idempotencyKey).not.toBe(transport.presigns[0].idempotencyKey);
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
});
