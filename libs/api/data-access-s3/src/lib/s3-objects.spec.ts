import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { DELETE_MANY_MAX, S3Objects } from './s3-objects';
import type { S3Config } from './s3.config';

const config: S3Config = { bucket: 'b1', region: 'eu-west-1', forcePathStyle: false };

/** S3Objects over a client that answers every command with `answer` and records what was sent. */
function setup(answer: () => Promise<unknown>) {
  const sent: unknown[] = [];
  const client = { send: jest.fn(async (command: unknown) => (sent.push(command), answer())) };
  return { sut: new S3Objects(client as unknown as S3Client, config), sent };
}

describe('S3Objects.deleteMany', () => {
  it('should delete every key in one quiet DeleteObjects request', async () => {
    const { sut, sent } = setup(async () => ({}));
    await expect(sut.deleteMany(['a', 'b', 'c'])).resolves.toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(DeleteObjectsCommand);
    expect((sent[0] as DeleteObjectsCommand).input).toEqual({
      Bucket: 'b1',
      Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }], Quiet: true },
    });
  });

  it('should answer the keys S3 could not delete, with their codes, and count a key already gone as deleted', async () => {
    const { sut } = setup(async () => ({
      Errors: [
        { Key: 'a', Code: 'AccessDenied' },
        { Key: 'b', Code: 'NoSuchKey' },
      ],
    }));
    await expect(sut.deleteMany(['a', 'b', 'c'])).resolves.toEqual([{ key: 'a', code: 'AccessDenied' }]);
  });

  it('should send nothing for no keys, and refuse more than one request can carry', async () => {
    const { sut, sent } = setup(async () => ({}));
    await expect(sut.deleteMany([])).resolves.toEqual([]);
    const tooMany = Array.from({ length: DELETE_MANY_MAX + 1 }, (_, i) => `k${i}`);
    await expect(sut.deleteMany(tooMany)).rejects.toThrow(`at most ${DELETE_MANY_MAX} keys`);
    expect(sent).toEqual([]);
  });
});
