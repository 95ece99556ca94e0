import { UploadError } from './upload-error';
import { record } from './testing/fake-upload-transport';
import { setup, statuses, textFile } from './testing/queue-setup';

const files = (count: number) => Array.from({ length: count }, (_, n) => textFile(`${n}.txt`));

describe('UploadQueue, with many files added at once', () => {
  it('should create them in one batch, and start each with its upload and no create of its own', () => {
    const { sut, transport } = setup({ concurrency: 2, createAhead: true });
    sut.add(files(5));
    expect(transport.batches.map((b) => b.requests.map((r) => r.fileName))).toEqual([
      ['0.txt', '1.txt', '2.txt', '3.txt', '4.txt'],
    ]);
    expect(statuses(sut)).toEqual(['signing', 'signing', 'queued', 'queued', 'queued']);

    transport.answerBatch(0);
    expect(statuses(sut)).toEqual(['uploading', 'uploading', 'queued', 'queued', 'queued']);
    transport.sends[0].events.next({ type: 'stored', key: 'k/0.txt' });
    expect(statuses(sut)).toEqual(['done', 'uploading', 'uploading', 'queued', 'queued']);
    expect(transport.presigns).toHaveLength(0);
  });

  it('should not batch files that can all start at once', () => {
    const { sut, transport } = setup({ concurrency: 3, createAhead: true });
    sut.add(files(3));
    expect(transport.batches).toHaveLength(0);
    expect(transport.presigns).toHaveLength(3);
  });

  it('should let each file create its own upload when the batch fails', () => {
    const { sut, transport } = setup({ concurrency: 2, createAhead: true });
    sut.add(files(4));
    transport.batches[0].reply.error(new UploadError('server', 'The API answered 503'));
    expect(transport.presigns.map((p) => p.request.fileName)).toEqual(['0.txt', '1.txt']);
    transport.sign(0);
    expect(statuses(sut)).toEqual(['uploading', 'signing', 'queued', 'queued']);
  });

  it('should cancel the upload made ahead for a file canceled before the batch answered', () => {
    const { sut, transport } = setup({ concurrency: 1, createAhead: true });
    sut.add(files(3));
    sut.cancel(sut.items()[2].id);
    transport.answerBatch(0);
    expect(transport.discarded).toEqual(['id-2.txt']);
    sut.cancel(sut.items()[1].id);
    expect(transport.discarded).toEqual(['id-2.txt', 'id-1.txt']);
  });

  it('should cancel an upload made ahead whose policy is about to lapse, and create a new one', () => {
    const { sut, transport } = setup({ concurrency: 1, createAhead: true });
    sut.add(files(2));
    transport.answerBatch(0, 10_000);
    expect(transport.discarded).toEqual(['id-0.txt']);
    expect(transport.presigns.map((p) => p.request.fileName)).toEqual(['0.txt']);
  });
});

describe('UploadQueue, while a file waits for complete', () => {
  it('should start the next file’s transfer without waiting for the answer', () => {
    const { sut, transport } = setup({ concurrency: 1 });
    transport.autoComplete = false;
    sut.add(files(2));
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k/0.txt' });
    expect(statuses(sut)).toEqual(['verifying', 'signing']);
    transport.sign(1);
    expect(transport.active()).toBe(1);
    transport.completions[0].reply.next(record('id-0.txt', 'available'));
    transport.completions[0].reply.complete();
    expect(statuses(sut)).toEqual(['done', 'uploading']);
  });
});
