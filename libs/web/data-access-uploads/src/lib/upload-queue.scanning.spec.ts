import type { HeldReason, UploadRecord } from '@dropgate/shared/api-contract';
import { UploadError } from './upload-error';
import { record } from './testing/fake-upload-transport';
import { setup, statuses, textFile } from './testing/queue-setup';

/** A queue whose file `a.txt` is stored and answered `scanning` by complete. */
function scanning(options: { concurrency?: number } = {}) {
  jest.useFakeTimers();
  const queue = setup(options);
  const { sut, transport } = queue;
  transport.autoComplete = false;
  transport.records.set('id-a.txt', record('id-a.txt', 'scanning'));
  sut.add([textFile('a.txt')]);
  transport.sign(0);
  transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
  transport.completions[0].reply.next(record('id-a.txt', 'scanning'));
  return queue;
}

describe('UploadQueue, while the API scans a stored file', () => {
  afterEach(() => jest.useRealTimers());

  it('should show scanning and ask again at doubling waits of up to 5 s until it is available', () => {
    const { sut, transport } = scanning();
    expect(sut.items()[0].state).toEqual({ status: 'scanning' });
    expect(sut.announcement()).toBe('a.txt: checking for viruses');

    const asked = [];
    for (const wait of [500, 1000, 2000, 4000, 5000, 5000]) {
      jest.advanceTimersByTime(wait - 1);
      asked.push(transport.gets.length);
      jest.advanceTimersByTime(1);
    }
    expect(asked).toEqual([0, 1, 2, 3, 4, 5]);
    expect(transport.gets).toEqual(Array(6).fill('id-a.txt'));
    expect(statuses(sut)).toEqual(['scanning']);

    transport.records.set('id-a.txt', record('id-a.txt', 'available'));
    jest.advanceTimersByTime(5000);
    expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/a.txt', uploadId: 'id-a.txt' });
    expect(sut.announcement()).toBe('a.txt stored');
    jest.advanceTimersByTime(60_000);
    expect(transport.gets).toHaveLength(7);
  });

  it('should not ask for the record when complete answers available, as without scanning', () => {
    jest.useFakeTimers();
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
    jest.advanceTimersByTime(60_000);
    expect(statuses(sut)).toEqual(['done']);
    expect(transport.gets).toEqual([]);
  });

  it('should show a file the scanner blocked, with the signature it found', () => {
    const { sut, transport } = scanning();
    transport.records.set('id-a.txt', {
      ...record('id-a.txt', 'infected'),
      signature: 'Eicar-Test-Signature',
    });
    jest.advanceTimersByTime(500);
    expect(sut.items()[0].state).toEqual({ status: 'infected', signature: 'Eicar-Test-Signature' });
    expect(sut.announcement()).toBe('a.txt blocked: malware found (Eicar-Test-Signature)');
    expect(sut.summary()).toEqual(
      expect.objectContaining({ files: 1, done: 0, active: 0, hasFinished: true }),
    );
  });

  it.each<[HeldReason, string]>([
    ['too_large_to_scan', 'too large to scan'],
    ['encrypted', 'encrypted file'],
    ['limits_exceeded', "beyond the scanner's limits"],
  ])('should show a file held because %s, saying why', (reason, words) => {
    const { sut, transport } = scanning();
    transport.records.set('id-a.txt', record('id-a.txt', 'held', reason));
    jest.advanceTimersByTime(500);
    expect(sut.items()[0].state).toEqual({ status: 'held', reason: words });
    expect(sut.announcement()).toBe(`a.txt held for review: ${words}`);
    expect(sut.summary()).toEqual(expect.objectContaining({ files: 1, done: 0, active: 0 }));
  });

  it('should fail a file rejected after its check because it changed, asking for it again', () => {
    const { sut, transport } = scanning();
    transport.records.set('id-a.txt', record('id-a.txt', 'rejected', 'changed_after_verification'));
    jest.advanceTimersByTime(500);
    const state = sut.items()[0].state;
    expect(state.status === 'failed' && state.error.message).toBe(
      'Rejected after upload. The file changed after it was checked; upload it again',
    );
  });

  it.each<UploadRecord['status']>(['deleted', 'canceled'])(
    'should fail, not wait for ever, when the upload was %s meanwhile',
    (status) => {
      const { sut, transport } = scanning();
      transport.records.set('id-a.txt', record('id-a.txt', status));
      jest.advanceTimersByTime(500);
      expect(statuses(sut)).toEqual(['failed']);
      jest.advanceTimersByTime(60_000);
      expect(transport.gets).toHaveLength(1);
    },
  );

  it('should hold no transfer slot, so that the next file starts while one is scanned', () => {
    jest.useFakeTimers();
    const { sut, transport } = setup({ concurrency: 1 });
    transport.autoComplete = false;
    sut.add([textFile('a.txt'), textFile('b.txt')]);
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
    // Waiting for complete's answer holds no slot either.
    expect(statuses(sut)).toEqual(['verifying', 'signing']);
    transport.completions[0].reply.next(record('id-a.txt', 'scanning'));
    expect(statuses(sut)).toEqual(['scanning', 'signing']);
    expect(transport.presigns).toHaveLength(2);
  });

  it.each(['cancel', 'remove'] as const)(
    'should stop asking, and cancel the upload at the API, on %s while scanning',
    (action) => {
      const { sut, transport } = scanning();
      jest.advanceTimersByTime(500);
      expect(transport.gets).toHaveLength(1);
      sut[action](sut.items()[0].id);
      jest.advanceTimersByTime(60_000);
      expect(transport.gets).toHaveLength(1);
      expect(transport.discarded).toEqual(['id-a.txt']);
    },
  );

  it('should not cancel at the API an upload whose verdict came, when the file is removed', () => {
    const { sut, transport } = scanning();
    transport.records.set('id-a.txt', record('id-a.txt', 'available'));
    jest.advanceTimersByTime(500);
    sut.remove(sut.items()[0].id);
    expect(transport.discarded).toEqual([]);
  });

  it('should keep asking through network and server errors, on the same schedule', () => {
    const { sut, transport } = scanning();
    transport.getFailures.push(
      new UploadError('network', 'Dropgate API unreachable — check your connection'),
      new UploadError('server', 'Dropgate API error (503)'),
      new UploadError('network', 'Dropgate API unreachable — check your connection'),
      new UploadError('server', 'Dropgate API error (502)'),
    );
    jest.advanceTimersByTime(500 + 1000 + 2000 + 4000);
    expect(transport.gets).toHaveLength(4);
    expect(statuses(sut)).toEqual(['scanning']);
    transport.records.set('id-a.txt', record('id-a.txt', 'available'));
    jest.advanceTimersByTime(5000);
    expect(statuses(sut)).toEqual(['done']);
  });

  it('should wait as long as Retry-After says before asking again', () => {
    const { transport } = scanning();
    transport.getFailures.push(new UploadError('rate-limited', 'Too many requests', 7000));
    jest.advanceTimersByTime(500);
    expect(transport.gets).toHaveLength(1);
    jest.advanceTimersByTime(7000 + 1000 - 1);
    expect(transport.gets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(transport.gets).toHaveLength(2);
  });

  it('should wait for sign-in when the session ended, then ask again', () => {
    const { sut, transport } = scanning();
    transport.getFailures.push(new UploadError('signed-out', 'Your session ended'));
    jest.advanceTimersByTime(500);
    expect(sut.waitingForSignIn()).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(transport.gets).toHaveLength(1);
    expect(statuses(sut)).toEqual(['scanning']);

    transport.records.set('id-a.txt', record('id-a.txt', 'available'));
    sut.resumeAfterSignIn();
    jest.advanceTimersByTime(1000);
    expect(transport.gets).toHaveLength(2);
    expect(statuses(sut)).toEqual(['done']);
  });

  it('should fail, and stop asking, when the API no longer has the upload', () => {
    const { sut, transport } = scanning();
    transport.records.delete('id-a.txt');
    jest.advanceTimersByTime(500);
    const state = sut.items()[0].state;
    expect(state.status === 'failed' && state.error.message).toBe('No upload with this id');
    jest.advanceTimersByTime(60_000);
    expect(transport.gets).toHaveLength(1);

    sut.retry(sut.items()[0].id);
    expect(statuses(sut)).toEqual(['signing']);
    expect(transport.presigns).toHaveLength(2);
  });

  it('should clear blocked and held files with the finished ones, and keep one still scanning', () => {
    const { sut, transport } = scanning({ concurrency: 3 });
    sut.add([textFile('b.txt'), textFile('c.txt')]);
    for (const [n, name] of [
      [1, 'b.txt'],
      [2, 'c.txt'],
    ] as const) {
      transport.sign(n);
      transport.sends[n].events.next({ type: 'stored', key: `k/${name}` });
    }
    transport.completions[1].reply.next({ ...record('id-b.txt', 'infected'), signature: 'Eicar' });
    transport.completions[2].reply.next(record('id-c.txt', 'held', 'encrypted'));
    expect(statuses(sut)).toEqual(['scanning', 'infected', 'held']);
    sut.clearCompleted();
    expect(sut.items().map((i) => i.file.name)).toEqual(['a.txt']);
  });
});
