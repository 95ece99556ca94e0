import { MemoryResumeStore } from './resume/resume-store';
import { type FakeTransport, record } from './testing/fake-upload-transport';
import { setup, settle, textFile } from './testing/queue-setup';

/** 10 bytes over a 100-byte threshold: the fake API cuts 110 bytes into 28 parts of 4. */
const bigFile = (size = 110) => textFile('big.txt', size);
const inFlight = (transport: FakeTransport) => [...transport.partsInFlight()].sort((a, b) => a - b);

describe('UploadQueue, after a reload', () => {
  const point = {
    owner: 'alice',
    fingerprint: 'big.txt|110',
    recordId: 'id-big.txt',
    partSize: 4,
    fileName: 'big.txt',
    size: 110,
    savedAt: 0,
  };
  /** The page after a reload, with `owner` signed in; alice began the upload before it. */
  function reloaded(owner = 'alice') {
    const store = new MemoryResumeStore();
    void store.put(point);
    const context = setup({ concurrency: 2, store, owner });
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
    expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/big.txt', uploadId: 'id-big.txt' });
    expect(await store.list('alice')).toEqual([]);
  });

  it('should start over on request, canceling the earlier upload', async () => {
    const { sut, transport, store } = reloaded();
    sut.add([bigFile()]);
    await settle();
    sut.startOver(sut.items()[0].id);
    await settle();
    expect(transport.discarded).toEqual(['id-big.txt']);
    expect(transport.presigns).toHaveLength(1);
    expect(await store.list('alice')).toEqual([]);
  });

  it('should forget an upload the API no longer has, and start anew', async () => {
    const { sut, transport, store } = reloaded();
    transport.records.clear();
    sut.add([bigFile()]);
    await settle();
    expect(sut.items()[0].state.status).toBe('signing');
    expect(transport.presigns).toHaveLength(1);
    expect(await store.get('alice', point.fingerprint)).toBeUndefined();
  });

  it('should not offer the upload for another file of the same name', async () => {
    const { sut, transport } = reloaded();
    sut.add([bigFile(111)]);
    await settle();
    expect(transport.presigns).toHaveLength(1);
  });

  it.each(['cancel', 'remove'] as const)(
    'should cancel the offered upload at the API and forget it on %s, not only forget it here',
    async (action) => {
      const { sut, transport, store } = reloaded();
      sut.add([bigFile()]);
      await settle();
      expect(sut.items()[0].state.status).toBe('resumable');
      sut[action](sut.items()[0].id);
      await settle();
      expect(transport.discarded).toEqual(['id-big.txt']);
      expect(await store.list('alice')).toEqual([]);
      expect(transport.presigns).toHaveLength(0);
    },
  );

  it('should never offer one person’s upload to another signed in on the same browser', async () => {
    const { sut, transport, store } = reloaded('bob');
    sut.add([bigFile()]);
    await settle();
    expect(sut.items()[0].state.status).toBe('signing');
    expect(transport.presigns).toHaveLength(1);
    // Alice's point is hers to resume; bob's page neither offers nor drops it.
    expect((await store.list('alice')).map((p) => p.recordId)).toEqual(['id-big.txt']);
    expect(await store.list('bob')).toEqual([]);
  });

  it('should remember a new upload under the person who began it', async () => {
    const { sut, transport, store } = setup({ owner: 'bob' });
    sut.add([bigFile()]);
    await settle();
    transport.startMultipart(0);
    await settle();
    expect((await store.list('bob')).map((p) => [p.owner, p.recordId])).toEqual([['bob', 'id-big.txt']]);
    expect(await store.list('alice')).toEqual([]);
  });
});
