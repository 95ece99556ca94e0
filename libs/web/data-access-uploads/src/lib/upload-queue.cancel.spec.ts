import { setup, settle, statuses, textFile } from './testing/queue-setup';

/** Over the fake API's 100-byte threshold: sent in parts of 4 bytes. */
const bigFile = () => textFile('big.txt', 12);

/**
 * A create call (POST /api/uploads) that the person pauses, cancels or removes while it is in
 * flight has already made a record at the API, so its answer must not be dropped.
 */
describe('UploadQueue, while the upload is being created', () => {
  it('should keep a multipart upload created after a pause, and resume it without creating another', async () => {
    const { sut, transport, store } = setup({ concurrency: 1 });
    sut.add([bigFile()]);
    await settle();
    expect(statuses(sut)).toEqual(['signing']);
    sut.pause(sut.items()[0].id);
    transport.startMultipart(0);
    await settle();
    expect(transport.discarded).toEqual([]);
    expect((await store.list('alice')).map((p) => p.recordId)).toEqual(['id-big.txt']);

    sut.resume(sut.items()[0].id);
    await settle();
    expect(transport.presigns).toHaveLength(1);
    expect(transport.signed.map((s) => s.id)).toEqual(['id-big.txt']);
  });

  it('should cancel at the API a POST upload created after a pause, then create a new one on resume', async () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    sut.pause(sut.items()[0].id);
    transport.sign(0);
    expect(transport.discarded).toEqual(['id-a.txt']);
    sut.resume(sut.items()[0].id);
    expect(transport.presigns).toHaveLength(2);
    expect(statuses(sut)).toEqual(['signing']);
  });

  it.each(['cancel', 'remove'] as const)(
    'should cancel at the API a multipart upload whose create answers after %s, and forget it',
    async (action) => {
      const { sut, transport, store } = setup();
      sut.add([bigFile()]);
      await settle();
      sut[action](sut.items()[0].id);
      transport.startMultipart(0);
      await settle();
      expect(transport.discarded).toEqual(['id-big.txt']);
      expect(await store.list('alice')).toEqual([]);
      expect(transport.signed).toEqual([]);
    },
  );

  it.each(['cancel', 'remove'] as const)(
    'should cancel at the API a POST upload whose create answers after %s',
    (action) => {
      const { sut, transport } = setup();
      sut.add([textFile('a.txt')]);
      sut[action](sut.items()[0].id);
      transport.sign(0);
      expect(transport.discarded).toEqual(['id-a.txt']);
      expect(transport.sends).toEqual([]);
    },
  );

  it('should not cancel the new upload of a file retried after a cancel when the old create answers late', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    const { id } = sut.items()[0];
    sut.cancel(id);
    sut.retry(id);
    expect(transport.presigns).toHaveLength(2);
    transport.presigns[1].reply.next({
      id: 'id-new',
      key: 'k/new',
      status: 'pending',
      method: 'post',
      expiresAt: '',
      post: { url: 'http://s3.test/b', fields: {} },
    });
    transport.sign(0);
    expect(transport.discarded).toEqual(['id-a.txt']);
    expect(statuses(sut)).toEqual(['uploading']);
  });
});
