import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type {
  CreatedMultipartUpload,
  SignedParts,
  StoredParts,
  UploadRecord,
} from '@dropgate/shared/api-contract';
import { Client } from 'pg';
import { startApi, type RunningApi } from './support/api-process';
import {
  databaseEnv,
  gatewayEnv,
  headObject,
  objectExists,
  objectGone,
  s3,
  stagingKeyOf,
} from './support/gateway';
import { sweepDueNow } from './support/database';
import { call, settledRecord, userToken } from './support/http';

const MiB = 1024 ** 2;
const PART = 8 * MiB;

/** Part n of a test file: bytes that differ from part to part, so a part sent twice or swapped shows. */
function partBytes(partNumber: number, length: number): Buffer {
  const part = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4096) part.writeUInt32BE(partNumber * 1_000_003 + i, i);
  return part;
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('base64');

/** PUTs a part to its presigned URL as a browser would: the signed headers, the body. */
async function putPart(
  signed: SignedParts['parts'][number],
  body: Buffer,
  headers: Record<string, string> = signed.headers,
) {
  const response = await fetch(signed.url, { method: 'PUT', headers, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '' };
}

/** The multipart uploads storage holds for the upload whose final key is `key` (at its staging key). */
async function openMultipartUploads(key: string): Promise<string[]> {
  const listed = await s3.send(
    new ListMultipartUploadsCommand({ Bucket: gatewayEnv.S3_BUCKET, Prefix: stagingKeyOf(key) }),
  );
  return (listed.Uploads ?? []).map((u) => u.UploadId ?? '');
}

// Multipart uploads against the real gateway and the real database.
describe('multipart uploads', () => {
  let api: RunningApi;
  const alice = () => userToken('alice');
  const as = (token: string) => (method: string, path: string, body?: unknown) =>
    call(api.baseUrl, method, path, body, token);

  const start = async (size: number, token = alice()) => {
    const response = await as(token)('POST', '/api/uploads', {
      fileName: 'survey.zip',
      contentType: 'application/zip',
      size,
    });
    expect(response.status).toBe(201);
    return response.json<CreatedMultipartUpload>();
  };
  const sign = async (id: string, parts: { partNumber: number; md5: string }[], token = alice()) => {
    const response = await as(token)('POST', `/api/uploads/${id}/parts`, { parts });
    expect(response.status).toBe(200);
    return response.json<SignedParts>().parts;
  };
  const sizeOf = (created: CreatedMultipartUpload, partNumber: number, size: number) =>
    partNumber < created.partCount ? created.partSize : size - (created.partCount - 1) * created.partSize;
  /** Signs and sends the given parts of a file of `size` bytes. */
  const sendParts = async (created: CreatedMultipartUpload, size: number, numbers: number[]) => {
    const bodies = new Map(numbers.map((n) => [n, partBytes(n, sizeOf(created, n, size))]));
    const signed = await sign(
      created.id,
      numbers.map((n) => ({ partNumber: n, md5: md5(bodies.get(n) as Buffer) })),
    );
    for (const part of signed)
      expect((await putPart(part, bodies.get(part.partNumber) as Buffer)).status).toBe(200);
  };
  const complete = (id: string, body?: unknown, token = alice()) =>
    as(token)('POST', `/api/uploads/${id}/complete`, body);
  /** Completes, then waits for the scanner: the status the upload ends in. */
  const completeAndScan = async (id: string, body?: unknown, token = alice(), timeoutMs = 30_000) => {
    const done = await complete(id, body, token);
    expect(done.status).toBe(200);
    expect(done.json<UploadRecord>().status).toBe('scanning');
    return (await settledRecord(api.baseUrl, id, token, timeoutMs)).status;
  };

  beforeAll(async () => {
    api = await startApi({
      RATE_LIMIT_MAX: '100000',
      UPLOAD_MAX_FILE_SIZE: String(5 * 1024 ** 4),
      UPLOAD_MULTIPART_THRESHOLD: String(16 * MiB),
      RECONCILE_INTERVAL_SECONDS: '1',
    });
  });
  afterAll(() => api.stop());

  it('should send 1 GiB in parts in parallel, complete it from storage’s list, and verify it', async () => {
    const size = 1024 * MiB;
    const created = await start(size);
    expect(created).toMatchObject({ method: 'multipart', status: 'pending', partSize: PART, partCount: 128 });
    const whole = createHash('md5');
    const partMd5s: Buffer[] = [];
    for (let n = 1; n <= created.partCount; n += 1) {
      const part = partBytes(n, PART);
      whole.update(part);
      partMd5s.push(createHash('md5').update(part).digest());
    }
    const numbers = Array.from({ length: created.partCount }, (_, i) => i + 1);
    // Eight parts in flight, each signed just before it is sent.
    const queue = [...numbers];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) await sendParts(created, size, [n]);
      }),
    );
    const listed = (await as(alice())('GET', `/api/uploads/${created.id}/parts`)).json<StoredParts>();
    expect(listed.parts.map((p) => p.partNumber)).toEqual(numbers);
    expect(listed.parts[0]).toEqual({ partNumber: 1, size: PART, etag: partMd5s[0].toString('hex') });

    const done = await complete(created.id);
    expect(done.status).toBe(200);
    expect(done.json<UploadRecord>()).toMatchObject({
      status: 'scanning',
      method: 'multipart',
      size,
      partSize: PART,
      partCount: 128,
    });
    // Joined at the staging key, with the ETag its parts make.
    const staged = await headObject(stagingKeyOf(created.key));
    const expectedEtag = `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-128`;
    expect(staged.ETag).toBe(`"${expectedEtag}"`);
    // Scanned, then copied by the server to its final key.
    expect((await settledRecord(api.baseUrl, created.id, alice(), 240_000)).status).toBe('available');
    const head = await headObject(created.key);
    expect([head.ContentLength, head.ContentType]).toEqual([size, 'application/zip']);
    // The joined staged object is the staging sweep's: due a minute after the join.
    expect(await objectExists(stagingKeyOf(created.key))).toBe(true);
    await sweepDueNow(created.id);
    const gone = await objectGone(stagingKeyOf(created.key));
    // When it is not gone, what the staging sweep said is the place to start.
    const sweepLog = gone
      ? []
      : api
          .output()
          .split('\n')
          .filter((line) => /sweep|staging object/i.test(line));
    expect({ gone, sweepLog: sweepLog.slice(-20) }).toEqual({ gone: true, sweepLog: [] });
    // The stored bytes, read back, are the file's.
    const stored = await s3.send(new GetObjectCommand({ Bucket: gatewayEnv.S3_BUCKET, Key: created.key }));
    const readBack = createHash('md5');
    for await (const chunk of stored.Body as AsyncIterable<Uint8Array>) readBack.update(chunk);
    expect(readBack.digest('hex')).toBe(whole.digest('hex'));
    expect(await openMultipartUploads(created.key)).toEqual([]);
    // The test gateway keeps objects in memory.
    await s3.send(new DeleteObjectCommand({ Bucket: gatewayEnv.S3_BUCKET, Key: created.key }));
  }, 300_000);

  it('should have storage refuse a corrupted part, a part of another length, and one without its MD5', async () => {
    const size = 2 * PART + 100;
    const created = await start(size);
    const part = partBytes(1, PART);
    const [signed] = await sign(created.id, [{ partNumber: 1, md5: md5(part) }]);
    expect(signed.headers).toEqual({ 'content-md5': md5(part) });

    const corrupted = Buffer.from(part);
    corrupted[12345] ^= 0xff;
    expect(await putPart(signed, corrupted)).toEqual({ status: 400, code: 'BadDigest' });
    expect((await putPart(signed, part.subarray(0, PART - 1))).status).toBe(403);
    expect((await putPart(signed, Buffer.concat([part, Buffer.alloc(1)]))).status).toBe(403);
    expect((await putPart(signed, part, {})).status).toBe(403);
    const nothing = (await as(alice())('GET', `/api/uploads/${created.id}/parts`)).json<StoredParts>();
    expect(nothing.parts).toEqual([]);

    // Resent as it is, the part is taken, and the upload completes.
    expect((await putPart(signed, part)).status).toBe(200);
    await sendParts(created, size, [2, 3]);
    expect(await completeAndScan(created.id)).toBe('available');
  });

  it.each([0, 4, 10_001])('should refuse to sign part %p of a 3-part upload', async (partNumber) => {
    const created = await start(2 * PART + 100);
    const response = await as(alice())('POST', `/api/uploads/${created.id}/parts`, {
      parts: [{ partNumber, md5: md5(Buffer.from('x')) }],
    });
    expect(response.status).toBe(400);
    expect(response.json().errors).toEqual([
      { field: 'parts.0.partNumber', code: 'partNumber.invalid', message: expect.stringContaining('1 to 3') },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['no parts', { parts: [] }, 'parts:parts.invalid'],
    [
      '101 parts',
      {
        parts: Array.from({ length: 101 }, (_, i) => ({
          partNumber: i + 1,
          md5: 'XUFAKrxLKna5cZ2REBfFkg==',
        })),
      },
      'parts:parts.invalid',
    ],
    ['a part without an MD5', { parts: [{ partNumber: 1 }] }, 'parts.0.md5:md5.invalid'],
    [
      'a hex MD5',
      { parts: [{ partNumber: 1, md5: '5d41402abc4b2a76b9719d911017c592' }] },
      'parts.0.md5:md5.invalid',
    ],
    [
      'a part number as a string',
      { parts: [{ partNumber: '1', md5: 'XUFAKrxLKna5cZ2REBfFkg==' }] },
      'parts.0.partNumber:partNumber.invalid',
    ],
    [
      'an unknown field in a part',
      { parts: [{ partNumber: 1, md5: 'XUFAKrxLKna5cZ2REBfFkg==', etag: 'x' }] },
      'parts.0.etag:field.unknown',
    ],
    ['parts as an object', { parts: { partNumber: 1 } }, 'parts:parts.invalid'],
  ])('should refuse a sign request with %s', async (_case, body, expected) => {
    const created = await start(2 * PART + 100);
    const response = await as(alice())('POST', `/api/uploads/${created.id}/parts`, body);
    expect(response.status).toBe(400);
    expect(response.json().errors.map((e) => `${e.field}:${e.code}`)).toContain(expected);
  });

  it('should answer 409 naming the missing part, and ignore a parts list sent by the client', async () => {
    const size = 2 * PART + 100;
    const created = await start(size);
    await sendParts(created, size, [1, 3]);
    const claimed = { parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: '"0"' })) };
    const missing = await complete(created.id, claimed);
    expect(missing.status).toBe(409);
    expect(missing.json()).toMatchObject({
      detail: expect.stringContaining('send part 2,'),
      errors: [{ field: 'parts.2', code: 'upload.parts_incomplete', message: 'part 2 is missing' }],
    });
    expect((await as(alice())('GET', `/api/uploads/${created.id}`)).json<UploadRecord>().status).toBe(
      'pending',
    );
    await sendParts(created, size, [2]);
    expect(await completeAndScan(created.id, claimed)).toBe('available');
  });

  it('should abort at storage on delete, and then refuse to sign, list or complete', async () => {
    const created = await start(2 * PART + 100);
    await sendParts(created, 2 * PART + 100, [1]);
    expect(await openMultipartUploads(created.key)).toHaveLength(1);
    expect((await as(alice())('DELETE', `/api/uploads/${created.id}`)).status).toBe(204);
    expect(await openMultipartUploads(created.key)).toEqual([]);
    const signAgain = await as(alice())('POST', `/api/uploads/${created.id}/parts`, {
      parts: [{ partNumber: 2, md5: md5(Buffer.from('x')) }],
    });
    expect([signAgain.status, signAgain.json().errors[0].code]).toEqual([409, 'upload.not_pending']);
    const list = await as(alice())('GET', `/api/uploads/${created.id}/parts`);
    expect(list.status).toBe(409);
    expect((await complete(created.id)).json<UploadRecord>().status).toBe('canceled');
    expect((await as(alice())('DELETE', `/api/uploads/${created.id}`)).status).toBe(204);
  });

  it('should have the reconciler abort an upload whose record expired', async () => {
    const created = await start(2 * PART + 100);
    await sendParts(created, 2 * PART + 100, [1, 2]);
    const db = new Client({ connectionString: databaseEnv.DATABASE_URL });
    await db.connect();
    await db.query("UPDATE uploads SET expires_at = now() - interval '2 minutes' WHERE id = $1", [
      created.id,
    ]);
    await db.end();
    const statusOf = async () =>
      (await as(alice())('GET', `/api/uploads/${created.id}`)).json<UploadRecord>().status;
    for (let i = 0; i < 50 && (await statusOf()) === 'pending'; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(await statusOf()).toBe('expired');
    expect(await openMultipartUploads(created.key)).toEqual([]);
    expect(await objectExists(stagingKeyOf(created.key))).toBe(false);
    expect(await objectExists(created.key)).toBe(false);
  });

  it('should answer 404 to another user on every route, and let an admin read and delete', async () => {
    const created = await start(2 * PART + 100);
    const bob = as(userToken('bob'));
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/uploads/${created.id}`],
      [
        'POST',
        `/api/uploads/${created.id}/parts`,
        { parts: [{ partNumber: 1, md5: md5(Buffer.from('x')) }] },
      ],
      ['GET', `/api/uploads/${created.id}/parts`],
      ['POST', `/api/uploads/${created.id}/complete`],
      ['GET', `/api/uploads/${created.id}/download`],
      ['DELETE', `/api/uploads/${created.id}`],
    ];
    for (const [method, path, body] of routes) {
      const response = await bob(method, path, body);
      expect([method, path, response.status, response.json().errors[0].code]).toEqual([
        method,
        path,
        404,
        'upload.not_found',
      ]);
    }
    const admin = as(userToken('admin'));
    const signed = await admin('POST', `/api/uploads/${created.id}/parts`, routes[1][2]);
    expect(signed.status).toBe(404);
    expect((await admin('GET', `/api/uploads/${created.id}/parts`)).json<StoredParts>()).toEqual({
      parts: [],
    });
    expect((await admin('DELETE', `/api/uploads/${created.id}`)).status).toBe(204);
    expect(await openMultipartUploads(created.key)).toEqual([]);
  });

  it('should list every part, past a page of ListParts', async () => {
    // A record planned for 1,001 parts; tiny parts put straight to storage (ListParts does not
    // check sizes; only complete does), which the gateway lists 1,000 to a page.
    const created = await start(1001 * PART);
    const db = new Client({ connectionString: databaseEnv.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ s3_upload_id: string }>(
      'SELECT s3_upload_id FROM uploads WHERE id = $1',
      [created.id],
    );
    await db.end();
    const queue = Array.from({ length: 1001 }, (_, i) => i + 1);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
          await s3.send(
            new UploadPartCommand({
              Bucket: gatewayEnv.S3_BUCKET,
              Key: stagingKeyOf(created.key),
              UploadId: rows[0].s3_upload_id,
              PartNumber: n,
              Body: 'x',
            }),
          );
        }
      }),
    );
    const listed = (await as(alice())('GET', `/api/uploads/${created.id}/parts`)).json<StoredParts>();
    expect(listed.parts.map((p) => p.partNumber)).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
    const incomplete = await complete(created.id);
    expect([incomplete.status, incomplete.json().errors[0].message]).toEqual([
      409,
      `part 1 has 1 bytes; it must have ${PART}`,
    ]);
    expect((await as(alice())('DELETE', `/api/uploads/${created.id}`)).status).toBe(204);
  }, 120_000);
});
