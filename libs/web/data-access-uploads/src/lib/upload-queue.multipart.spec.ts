import { UploadError, apiError } from './upload-error';
import { type FakeTransport, record } from './testing/fake-upload-transport';
import { setup, settle, textFile } from './testing/queue-setup';

describe('UploadQueue', () => {
  afterEach(() => jest.useRealTimers());

  describe('large files, in parts', () => {
    /** 10 bytes over a 100-byte threshold: the fake API cuts 110 bytes into 28 parts of 4. */
    const bigFile = (size = 110) => textFile('big.txt', size);
    const inFlight = (transport: FakeTransport) => [...transport.partsInFlight()].sort((a, b) => a - b);

    it('should send each part with its own MD5, count progress by bytes, and complete', async () => {
      const { sut, transport, hasher } = setup({ concurrency: 2 });
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
      expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/big.txt', uploadId: 'id-big.txt' });
    });

    it('should not count the bytes of a part that failed', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      const { sut, transport } = setup({ concurrency: 1 });
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
      const { sut, transport } = setup({ concurrency: 2 });
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
      const { sut, transport, hasher } = setup({ concurrency: 1 });
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
      const { sut, transport } = setup({ concurrency: 1 });
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
      const { sut, transport } = setup({ concurrency: 2 });
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
      const { sut, transport, store } = setup({ concurrency: 1 });
      sut.add([bigFile()]);
      await settle();
      transport.startMultipart(0);
      await settle();
      expect(await store.list('alice')).toHaveLength(1);
      sut.cancel(sut.items()[0].id);
      await settle();
      expect(transport.discarded).toEqual(['id-big.txt']);
      expect(await store.list('alice')).toEqual([]);
    });

    /** The API's 409 when complete finds parts missing at storage, as it sends it. */
    const partsIncomplete = (...missing: number[]) =>
      apiError({
        status: 409,
        error: {
          type: 'urn:dropgate:problem:upload-parts-incomplete',
          title: 'Parts incomplete',
          status: 409,
          detail: `Storage does not hold every part as planned; send parts ${missing.join(', ')}, then complete again`,
          errors: missing.map((n) => ({
            field: `parts.${n}`,
            code: 'upload.parts_incomplete',
            message: `part ${n} is missing`,
          })),
        },
      });

    it('should send again only the parts completion names as missing, then complete again', async () => {
      const { sut, transport, store } = setup({ concurrency: 3 });
      transport.autoComplete = false;
      sut.add([bigFile(12)]);
      transport.startMultipart(0);
      await settle();
      for (const n of [0, 1, 2]) transport.storePut(n);
      await settle();
      expect(sut.items()[0].state.status).toBe('verifying');
      // Part 2 vanished at storage between its 200 and complete.
      transport.stored.get('id-big.txt')?.delete(2);
      transport.completions[0].reply.error(partsIncomplete(2));
      await settle();
      expect(transport.signed.slice(3).map((c) => c.parts.map((p) => p.partNumber))).toEqual([[2]]);
      expect(inFlight(transport)).toEqual([2]);
      expect(sut.items()[0].state).toMatchObject({ status: 'uploading', loaded: 8, total: 12 });
      transport.storePut(3);
      await settle();
      expect(transport.completions).toHaveLength(2);
      transport.completions[1].reply.next({ ...record('id-big.txt', 'available'), method: 'multipart' });
      expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/big.txt', uploadId: 'id-big.txt' });
      expect(transport.puts).toHaveLength(4);
      expect(transport.presigns).toHaveLength(1);
      expect(transport.discarded).toEqual([]);
      await settle();
      expect(await store.list('alice')).toEqual([]);
    });

    it('should stop topping up after the table’s rounds, and keep the upload for a Retry', async () => {
      const { sut, transport } = setup({ concurrency: 3 });
      transport.autoComplete = false;
      sut.add([bigFile(4)]);
      transport.startMultipart(0);
      await settle();
      transport.storePut(0);
      await settle();
      for (let round = 0; round < 3; round++) {
        transport.completions[round].reply.error(partsIncomplete(1));
        await settle();
        if (round < 2) transport.storePut(round + 1);
        await settle();
      }
      expect(sut.items()[0].state).toMatchObject({
        status: 'failed',
        error: { message: 'Part 1 did not reach storage after sending it again — retry' },
      });
      expect(transport.discarded).toEqual([]);
      sut.retry(sut.items()[0].id);
      await settle();
      expect(transport.presigns).toHaveLength(1);
    });
  });
});
