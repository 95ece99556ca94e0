import { apiError } from './upload-error';
import { setup, settle, textFile } from './testing/queue-setup';

const problem = (status: number, code: string, field = '') =>
  apiError({
    status,
    error: {
      type: 'urn:dropgate:problem:x',
      title: 'Refused',
      status,
      detail: code,
      errors: [{ field, code, message: `refused: ${code}` }],
    },
  });

/** A multipart upload whose three parts are stored and whose completion the test answers. */
async function storedMultipart() {
  const context = setup({ concurrency: 3 });
  context.transport.autoComplete = false;
  context.sut.add([textFile('big.txt', 12)]);
  context.transport.startMultipart(0);
  await settle();
  for (const n of [0, 1, 2]) context.transport.storePut(n);
  await settle();
  return context;
}

describe('UploadQueue, when the API refuses', () => {
  it('should keep a multipart upload and its resume point on a refusal that does not say it is gone', async () => {
    const { sut, transport, store } = await storedMultipart();
    transport.completions[0].reply.error(problem(400, 'field.invalid', 'parts'));
    await settle();
    expect(sut.items()[0].state.status).toBe('failed');
    expect(transport.discarded).toEqual([]);
    expect((await store.list('alice')).map((p) => p.recordId)).toEqual(['id-big.txt']);
    sut.retry(sut.items()[0].id);
    await settle();
    expect(transport.presigns).toHaveLength(1);
    expect(transport.completions).toHaveLength(2);
  });

  it('should let go of an upload the API says is no longer pending, and start anew on Retry', async () => {
    const { sut, transport, store } = await storedMultipart();
    transport.completions[0].reply.error(problem(409, 'upload.not_pending'));
    await settle();
    expect(sut.items()[0].state.status).toBe('failed');
    expect(await store.list('alice')).toEqual([]);
    sut.retry(sut.items()[0].id);
    await settle();
    expect(transport.presigns).toHaveLength(2);
  });
});
