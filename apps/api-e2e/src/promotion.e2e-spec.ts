import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  S3Multipart,
  S3Objects,
  S3Promotion,
  type S3Config,
  type S3CopyLimits,
} from '@dropgate/api/data-access-s3';
import { gatewayEnv, objectExists, s3 } from './support/gateway';

// Promotion and verified reads against the real gateway of tools/local-s3: conditions, the
// multipart copy, and what is left behind when the source changed.

const Bucket = gatewayEnv.S3_BUCKET;
const MiB = 1024 ** 2;
const config: S3Config = {
  bucket: Bucket,
  region: gatewayEnv.S3_REGION,
  endpoint: gatewayEnv.S3_ENDPOINT,
  forcePathStyle: true,
};
/** Small enough that a 20 MiB object is copied in three parts (8, 8 and 4 MiB). */
const SMALL_PARTS: Partial<S3CopyLimits> = { singleCopyMaxBytes: 8 * MiB, partBytes: 8 * MiB };

/** Clients made here, destroyed at the end so that their sockets do not keep jest waiting. */
const clients: S3Client[] = [];
afterAll(() => clients.forEach((client) => client.destroy()));

const newClient = () => {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: gatewayEnv.AWS_ACCESS_KEY_ID,
      secretAccessKey: gatewayEnv.AWS_SECRET_ACCESS_KEY,
    },
  });
  clients.push(client);
  return client;
};

/** A client that runs `race` once, just before the first command named `commandName` is sent. */
function racingClient(commandName: string, race: () => Promise<unknown>): S3Client {
  const client = newClient();
  let raced = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && !raced) {
        raced = true;
        await race();
      }
      return next(args);
    },
    { step: 'initialize', name: 'raceBeforeCommand' },
  );
  return client;
}

const promotionWith = (client: S3Client, limits?: Partial<S3CopyLimits>) =>
  new S3Promotion(client, config, new S3Multipart(client, config), limits);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function put(key: string, body: Buffer, contentType: string): Promise<string> {
  const { ETag } = await s3.send(
    new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }),
  );
  return (ETag ?? '').replace(/"/g, '');
}

async function get(key: string) {
  const object = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
  if (!object.Body) throw new Error(`${key} has no body`);
  return { bytes: await object.Body.transformToByteArray(), contentType: object.ContentType };
}

async function openUploads(key: string) {
  const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: key }));
  return Uploads.filter((upload) => upload.Key === key);
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('S3Promotion against the gateway', () => {
  const written: string[] = [];
  /** A staging key and its final key, with a name that needs encoding in x-amz-copy-source. */
  const keys = () => {
    const id = randomUUID();
    const pair = { from: `incoming/${id}/q3 report é+1.pdf`, to: `uploads/${id}/q3 report é+1.pdf` };
    written.push(pair.from, pair.to);
    return pair;
  };

  afterAll(async () => {
    await Promise.all(written.map((Key) => s3.send(new DeleteObjectCommand({ Bucket, Key }))));
  });

  describe('with one CopyObject', () => {
    it('should copy the bytes and keep the Content-Type', async () => {
      const { from, to } = keys();
      const body = randomBytes(70_000);
      const etag = await put(from, body, 'application/pdf');
      const sut = promotionWith(s3);

      await expect(sut.promote({ from, to, etag, size: body.length })).resolves.toBe('copied');

      const copy = await get(to);
      expect(sha256(copy.bytes)).toBe(sha256(body));
      expect(copy.contentType).toBe('application/pdf');
      expect(await objectExists(from)).toBe(true);
    });

    it('should give the copy the Content-Type asked for', async () => {
      const { from, to } = keys();
      const body = randomBytes(1000);
      const etag = await put(from, body, 'application/octet-stream');

      await expect(
        promotionWith(s3).promote({ from, to, etag, size: body.length, contentType: 'application/pdf' }),
      ).resolves.toBe('copied');

      expect((await get(to)).contentType).toBe('application/pdf');
    });

    it('should answer changed, and write nothing, when the source was overwritten after its ETag was taken', async () => {
      const { from, to } = keys();
      const etag = await put(from, Buffer.alloc(1000, 'A'), 'application/pdf');
      await put(from, Buffer.alloc(1000, 'B'), 'application/pdf');

      await expect(promotionWith(s3).promote({ from, to, etag, size: 1000 })).resolves.toBe('changed');

      expect(await objectExists(to)).toBe(false);
    });

    it('should answer changed when the source is overwritten between the check and the copy', async () => {
      // Only the gateway's own condition on CopyObject can catch this one.
      const { from, to } = keys();
      const etag = await put(from, Buffer.alloc(1000, 'A'), 'application/pdf');
      const client = racingClient('CopyObjectCommand', () =>
        put(from, Buffer.alloc(1000, 'B'), 'application/pdf'),
      );

      await expect(promotionWith(client).promote({ from, to, etag, size: 1000 })).resolves.toBe('changed');

      expect(await objectExists(to)).toBe(false);
    });

    it('should answer changed when the source is gone', async () => {
      const { from, to } = keys();
      const etag = await put(from, Buffer.alloc(10, 'A'), 'application/pdf');
      await s3.send(new DeleteObjectCommand({ Bucket, Key: from }));

      await expect(promotionWith(s3).promote({ from, to, etag, size: 10 })).resolves.toBe('changed');
      expect(await objectExists(to)).toBe(false);
    });
  });

  describe('in parts', () => {
    const size = 20 * MiB;

    it('should copy the same bytes and Content-Type, and leave no multipart upload open', async () => {
      const { from, to } = keys();
      const body = randomBytes(size);
      const etag = await put(from, body, 'video/mp4');

      await expect(promotionWith(s3, SMALL_PARTS).promote({ from, to, etag, size })).resolves.toBe('copied');

      const copy = await get(to);
      expect(copy.bytes.length).toBe(size);
      expect(sha256(copy.bytes)).toBe(sha256(body));
      expect(copy.contentType).toBe('video/mp4');
      // Three parts were joined: the ETag of a multipart object counts them.
      const { ETag } = await s3.send(new GetObjectCommand({ Bucket, Key: to, Range: 'bytes=0-0' }));
      expect(ETag).toMatch(/-3"$/);
      expect(await openUploads(to)).toEqual([]);
    });

    it('should answer changed, with nothing at the target and no upload open, when the source was overwritten before', async () => {
      const { from, to } = keys();
      const etag = await put(from, randomBytes(size), 'video/mp4');
      await put(from, randomBytes(size), 'video/mp4');

      await expect(promotionWith(s3, SMALL_PARTS).promote({ from, to, etag, size })).resolves.toBe('changed');

      expect(await objectExists(to)).toBe(false);
      expect(await openUploads(to)).toEqual([]);
    });

    it('should answer changed, abort the upload and write nothing when the source is overwritten mid-copy', async () => {
      const { from, to } = keys();
      const etag = await put(from, randomBytes(size), 'video/mp4');
      const client = racingClient('UploadPartCopyCommand', () => put(from, randomBytes(size), 'video/mp4'));

      await expect(promotionWith(client, SMALL_PARTS).promote({ from, to, etag, size })).resolves.toBe(
        'changed',
      );

      expect(await objectExists(to)).toBe(false);
      expect(await openUploads(to)).toEqual([]);
    });
  });
});

describe('S3Objects.read against the gateway', () => {
  const key = `incoming/${randomUUID()}/scan me.bin`;
  const body = randomBytes(300_000);
  let etag: string;
  const sut = new S3Objects(s3, config);

  beforeAll(async () => {
    etag = await put(key, body, 'application/octet-stream');
  });
  afterAll(() => s3.send(new DeleteObjectCommand({ Bucket, Key: key })));

  it('should stream the bytes and their length while the ETag holds', async () => {
    const read = await sut.read(key, etag);
    if (read.status !== 'found') throw new Error(`expected the object, got ${read.status}`);
    expect(read.size).toBe(body.length);
    expect((await readAll(read.body)).equals(body)).toBe(true);
  });

  it('should report changed for another ETag', async () => {
    await expect(sut.read(key, createHash('md5').update('other').digest('hex'))).resolves.toEqual({
      status: 'changed',
    });
  });

  it('should report missing for no such object', async () => {
    await expect(sut.read(`incoming/${randomUUID()}/none`, etag)).resolves.toEqual({ status: 'missing' });
  });

  describe('in ranges, several at a time', () => {
    // 300,000 bytes in ranges of 64 KiB, three at a time: five ranges, the last a short one.
    const ranged = Object.assign(new S3Objects(s3, config), {
      ranges: { rangeBytes: 64 * 1024, inFlight: 3 },
    });

    it('should stream the same bytes, in order', async () => {
      const read = await ranged.read(key, etag, undefined, body.length);
      if (read.status !== 'found') throw new Error(`expected the object, got ${read.status}`);
      expect(read.size).toBe(body.length);
      expect((await readAll(read.body)).equals(body)).toBe(true);
    });

    it('should report changed and missing as one GET does', async () => {
      const other = createHash('md5').update('other').digest('hex');
      await expect(ranged.read(key, other, undefined, body.length)).resolves.toEqual({ status: 'changed' });
      await expect(
        ranged.read(`incoming/${randomUUID()}/none`, etag, undefined, body.length),
      ).resolves.toEqual({
        status: 'missing',
      });
    });

    it('should fail the stream when the object is written again while it is read', async () => {
      const raced = `incoming/${randomUUID()}/raced.bin`;
      const first = await put(raced, body, 'application/octet-stream');
      const read = await ranged.read(raced, first, undefined, body.length);
      if (read.status !== 'found') throw new Error(`expected the object, got ${read.status}`);
      await put(raced, randomBytes(body.length), 'application/octet-stream');
      await expect(readAll(read.body)).rejects.toThrow();
      await s3.send(new DeleteObjectCommand({ Bucket, Key: raced }));
    });
  });
});
