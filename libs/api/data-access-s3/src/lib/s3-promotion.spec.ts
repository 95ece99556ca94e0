import { Logger } from '@nestjs/common';
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { ProblemException } from '@dropgate/api/util-http';
import { S3Multipart } from './s3-multipart';
import { S3Promotion, type S3CopyLimits } from './s3-promotion';
import type { S3Config } from './s3.config';

const MiB = 1024 ** 2;
const config: S3Config = { bucket: 'b1', region: 'eu-west-1', forcePathStyle: false };
const request = { from: 'incoming/id/a.bin', to: 'uploads/id/a.bin', etag: 'abc', size: 20 * MiB };
const limits: Partial<S3CopyLimits> = { singleCopyMaxBytes: 8 * MiB, partBytes: 8 * MiB, concurrency: 2 };

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: status < 500 ? 'client' : 'server',
    $metadata: { httpStatusCode: status },
  });

type Command = { input: Record<string, unknown> };
type Handler = (command: Command) => Promise<unknown>;

/** An S3 client that answers each command with its handler and records what was sent. */
function fakeS3(handlers: Map<abstract new (...args: never[]) => unknown, Handler>) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const send = jest.fn(async (command: Command) => {
    const handler = [...handlers].find(([type]) => command instanceof type)?.[1];
    sent.push({ name: command.constructor.name, input: command.input });
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return handler ? await handler(command) : {};
    } finally {
      inFlight--;
    }
  });
  const client = { send } as unknown as S3Client;
  return {
    client,
    sent,
    mostInFlight: () => mostInFlight,
    named: (name: string) => sent.filter((c) => c.name === name),
  };
}

function setup(
  partCopy: Handler = async () => ({ CopyPartResult: { ETag: '"p"' } }),
  head: Handler = async () => ({ ContentType: 'video/mp4' }),
  copy: Handler = async () => ({}),
) {
  const s3 = fakeS3(
    new Map<abstract new (...args: never[]) => unknown, Handler>([
      [HeadObjectCommand, head],
      [CopyObjectCommand, copy],
      [CreateMultipartUploadCommand, async () => ({ UploadId: 'u1' })],
      [UploadPartCopyCommand, partCopy],
    ]),
  );
  const sut = new S3Promotion(s3.client, config, new S3Multipart(s3.client, config), limits);
  return { sut, ...s3 };
}

describe('S3Promotion', () => {
  it('should copy a small object with one conditional CopyObject that keeps the metadata', async () => {
    const { sut, named } = setup();

    await expect(sut.promote({ ...request, size: 8 * MiB })).resolves.toBe('copied');

    expect(named('HeadObjectCommand')[0].input).toMatchObject({ Key: request.from, IfMatch: '"abc"' });
    expect(named('CopyObjectCommand')).toEqual([
      {
        name: 'CopyObjectCommand',
        input: expect.objectContaining({
          Key: request.to,
          CopySource: 'b1/incoming/id/a.bin',
          CopySourceIfMatch: '"abc"',
          MetadataDirective: 'COPY',
        }),
      },
    ]);
  });

  it('should skip its own HEAD when the caller has just checked the source, and copy on the same condition', async () => {
    const { sut, sent } = setup();

    await expect(
      sut.promote({
        ...request,
        size: 8 * MiB,
        contentType: 'video/mp4',
        source: { contentType: 'video/mp4' },
      }),
    ).resolves.toBe('copied');

    expect(sent.map((c) => c.name)).toEqual(['CopyObjectCommand']);
    expect(sent[0].input).toMatchObject({ CopySourceIfMatch: '"abc"', MetadataDirective: 'COPY' });
  });

  it('should answer changed when the source changed after the caller checked it (the copy is refused)', async () => {
    const { sut, sent } = setup(undefined, undefined, () =>
      Promise.reject(s3Error('PreconditionFailed', 412)),
    );

    await expect(
      sut.promote({ ...request, size: 8 * MiB, source: { contentType: 'video/mp4' } }),
    ).resolves.toBe('changed');

    expect(sent.map((c) => c.name)).toEqual(['CopyObjectCommand']);
  });

  it('should copy a larger object in ranged, conditional parts, a few at a time, and complete it in order', async () => {
    const { sut, named, mostInFlight } = setup(async (command) => ({
      CopyPartResult: { ETag: `"e${String(command.input['PartNumber'])}"` },
    }));

    await expect(sut.promote(request)).resolves.toBe('copied');

    expect(named('CreateMultipartUploadCommand')[0].input).toMatchObject({
      Key: request.to,
      ContentType: 'video/mp4',
    });
    const parts = named('UploadPartCopyCommand').map((c) => c.input);
    expect(parts.map((part) => [part['PartNumber'], part['CopySourceRange']])).toEqual([
      [1, `bytes=0-${8 * MiB - 1}`],
      [2, `bytes=${8 * MiB}-${16 * MiB - 1}`],
      [3, `bytes=${16 * MiB}-${20 * MiB - 1}`],
    ]);
    parts.forEach((part) => expect(part).toMatchObject({ UploadId: 'u1', CopySourceIfMatch: '"abc"' }));
    expect(mostInFlight()).toBeLessThanOrEqual(2);
    expect(named('CompleteMultipartUploadCommand')[0].input).toMatchObject({
      UploadId: 'u1',
      MultipartUpload: { Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"e${n}"` })) },
    });
    expect(named('AbortMultipartUploadCommand')).toEqual([]);
  });

  it('should answer changed without copying when the source no longer has the ETag', async () => {
    const { sut, sent } = setup(undefined, () => Promise.reject(s3Error('PreconditionFailed', 412)));

    await expect(sut.promote(request)).resolves.toBe('changed');

    expect(sent.map((c) => c.name)).toEqual(['HeadObjectCommand']);
  });

  it('should answer changed and abort the upload when a part copy finds the source changed', async () => {
    const { sut, named } = setup(async (command) => {
      if (command.input['PartNumber'] === 2) throw s3Error('PreconditionFailed', 412);
      return { CopyPartResult: { ETag: '"p"' } };
    });

    await expect(sut.promote(request)).resolves.toBe('changed');

    expect(named('CompleteMultipartUploadCommand')).toEqual([]);
    expect(named('AbortMultipartUploadCommand')[0].input).toMatchObject({ Key: request.to, UploadId: 'u1' });
  });

  it('should answer changed and abort when the source changed while its parts were copied', async () => {
    let heads = 0;
    const { sut, named } = setup(undefined, async () => {
      if (++heads > 1) throw s3Error('PreconditionFailed', 412);
      return { ContentType: 'video/mp4' };
    });

    await expect(sut.promote(request)).resolves.toBe('changed');

    expect(named('CompleteMultipartUploadCommand')).toEqual([]);
    expect(named('AbortMultipartUploadCommand')).toHaveLength(1);
  });

  it('should abort the upload, start no more parts, and answer 503 when storage fails mid-copy', async () => {
    const { sut, named } = setup(async (command) => {
      if (command.input['PartNumber'] === 1) throw s3Error('InternalError', 500);
      return { CopyPartResult: { ETag: '"p"' } };
    });

    const thrown = await sut.promote(request).catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem.status).toBe(503);
    expect(named('UploadPartCopyCommand').map((c) => c.input['PartNumber'])).toEqual([1, 2]);
    expect(named('AbortMultipartUploadCommand')).toHaveLength(1);
  });

  it('should answer 500 storage.misconfigured when the copy is refused', async () => {
    const { sut } = setup(() => Promise.reject(s3Error('AccessDenied', 403)));
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const thrown = await sut.promote(request).catch((error: unknown) => error);

      expect((thrown as ProblemException).problem.errors[0].code).toBe('storage.misconfigured');
      expect(log.mock.calls[0]?.[0]).toMatch(/allow s3:PutObject/);
    } finally {
      log.mockRestore();
    }
  });

  it.each<[string, Partial<S3CopyLimits>]>([
    ['a single copy above 5 GiB', { singleCopyMaxBytes: 5 * 1024 ** 3 + 1 }],
    ['parts below 8 MiB', { partBytes: 5 * MiB }],
    ['no concurrency', { concurrency: 0 }],
  ])('should refuse limits with %s', (_case, bad) => {
    const client = {} as S3Client;
    expect(() => new S3Promotion(client, config, new S3Multipart(client, config), bad)).toThrow(RangeError);
  });
});
