import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type {
  CreatedPostUpload,
  DownloadLink,
  PresignedPost,
  UploadPage,
  UploadRecord,
} from '@dropgate/shared/api-contract';
import { Client } from 'pg';
import { startApi, type RunningApi } from './support/api-process';
import { databaseEnv, gatewayEnv, objectExists, s3, stagingKeyOf } from './support/gateway';
import { bytes, call, postForm, serviceToken, settledRecord, userToken } from './support/http';

// Records against the real database and the real gateway: create, send, complete, read.
describe('upload records', () => {
  let api: RunningApi;
  const pdf = (size = 2048, extra: Record<string, unknown> = {}) => ({
    fileName: 'q3 report.pdf',
    contentType: 'application/pdf',
    size,
    ...extra,
  });
  const create = async (body: unknown, token?: string) => {
    const response = await call(api.baseUrl, 'POST', '/api/uploads', body, token);
    expect(response.status).toBe(201);
    return response.json<CreatedPostUpload>();
  };
  const send = (created: CreatedPostUpload, file: Uint8Array<ArrayBuffer>) =>
    postForm({ ...created.post, id: created.id, key: created.key, expiresAt: created.expiresAt }, file);
  const complete = (id: string, token?: string) =>
    call(api.baseUrl, 'POST', `/api/uploads/${id}/complete`, undefined, token);
  const get = (id: string, token?: string) =>
    call(api.baseUrl, 'GET', `/api/uploads/${id}`, undefined, token);

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_MAX: '100000' });
  });
  afterAll(() => api.stop());

  it('should take an upload from pending to available, and complete it again without change', async () => {
    const created = await create(pdf(), userToken('alice'));
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      key: expect.stringMatching(
        /^uploads\/[a-z2-7]{26}\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\/q3 report\.pdf$/,
      ),
      status: 'pending',
      method: 'post',
      expiresAt: expect.any(String),
      post: { url: expect.any(String), fields: expect.any(Object) },
    });
    expect(created.key).toContain(created.id);
    expect((await get(created.id, userToken('alice'))).json<UploadRecord>().status).toBe('pending');

    expect((await send(created, bytes(2048))).status).toBe(201);
    const first = await complete(created.id, userToken('alice'));
    expect(first.status).toBe(200);
    expect(first.json<UploadRecord>()).toMatchObject({
      id: created.id,
      status: 'scanning',
      size: 2048,
      contentType: 'application/pdf',
      owner: { subject: 'alice', name: 'Alice Example' },
      completedAt: expect.any(String),
    });
    const settled = await settledRecord(api.baseUrl, created.id, userToken('alice'));
    expect(settled).toMatchObject({ status: 'available', scan: 'clean' });
    const again = await complete(created.id, userToken('alice'));
    expect(again.json()).toEqual(settled);
  });

  it('should answer usage without a quota where there is none', async () => {
    const response = await call(api.baseUrl, 'GET', '/api/uploads/usage', undefined, userToken('bob'));
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ usedBytes: expect.any(Number) });
  });

  it('should answer 409 upload.not_in_storage when nothing was sent yet', async () => {
    const created = await create(pdf());
    const response = await complete(created.id);
    expect(response.status).toBe(409);
    expect(response.json().errors[0].code).toBe('upload.not_in_storage');
  });

  it('should reject, and delete, an object replaced behind the API with another size', async () => {
    const created = await create(pdf());
    expect((await send(created, bytes(2048))).status).toBe(201);
    await s3.send(
      new PutObjectCommand({
        Bucket: gatewayEnv.S3_BUCKET,
        Key: stagingKeyOf(created.key),
        Body: bytes(4096),
        ContentType: 'application/pdf',
      }),
    );
    const response = await complete(created.id);
    expect(response.json<UploadRecord>()).toMatchObject({ status: 'rejected', reason: 'size_mismatch' });
    expect(await objectExists(stagingKeyOf(created.key))).toBe(false);
  });

  it('should reject an object whose MD5 is not the one declared (the gateway ignores Content-MD5 on POST)', async () => {
    const declared = createHash('md5').update('something else').digest('base64');
    const created = await create(pdf(2048, { md5: declared }));
    expect(created.post.fields['Content-MD5']).toBe(declared);
    expect((await send(created, bytes(2048))).status).toBe(201);
    expect((await complete(created.id)).json<UploadRecord>()).toMatchObject({
      status: 'rejected',
      reason: 'md5_mismatch',
    });
    expect(await objectExists(stagingKeyOf(created.key))).toBe(false);
  });

  it('should make available an object whose MD5 is the one declared', async () => {
    const file = bytes(2048, 0x62);
    const created = await create(pdf(2048, { md5: createHash('md5').update(file).digest('base64') }));
    expect((await send(created, file)).status).toBe(201);
    expect((await complete(created.id)).json<UploadRecord>().status).toBe('scanning');
    expect(await settledRecord(api.baseUrl, created.id)).toMatchObject({
      status: 'available',
      md5: expect.any(String),
    });
  });

  it('should answer 404 to another user, as for an id that does not exist, and serve an admin', async () => {
    const created = await create(pdf(), userToken('alice'));
    const missing = '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55';
    for (const response of [
      await get(created.id, userToken('bob')),
      await complete(created.id, userToken('bob')),
      await get(missing, userToken('alice')),
      await get('not-a-uuid', userToken('alice')),
      await get("1' OR '1'='1", userToken('alice')),
    ]) {
      expect(response.status).toBe(404);
      expect(response.json().errors[0].code).toBe('upload.not_found');
    }
    expect((await get(created.id, userToken('admin'))).json<UploadRecord>().owner.subject).toBe('alice');
    expect((await get(created.id, serviceToken())).status).toBe(200);
  });

  it('should refuse a malformed md5 by name', async () => {
    const response = await call(api.baseUrl, 'POST', '/api/uploads', pdf(10, { md5: 'abc' }));
    expect(response.status).toBe(400);
    expect(response.json().errors.map((e) => e.code)).toEqual(['md5.invalid']);
  });

  it('should keep the old route working, with the same record, deprecated by its headers', async () => {
    const response = await call(api.baseUrl, 'POST', '/api/uploads/presigned-post', pdf());
    expect(response.status).toBe(201);
    expect(response.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(response.headers.get('link')).toBe('</api/uploads>; rel="successor-version"');
    const post = response.json<PresignedPost>();
    expect(Object.keys(post).sort()).toEqual(['expiresAt', 'fields', 'id', 'key', 'url']);
    expect((await get(post.id)).json<UploadRecord>()).toMatchObject({ status: 'pending', key: post.key });
  });
});

describe('listing, downloading and deleting', () => {
  let api: RunningApi;
  const as = (token: string) => ({
    call: (method: string, path: string, body?: unknown) => call(api.baseUrl, method, path, body, token),
  });

  /** An available upload of `file`, created, sent and completed as `token`'s owner. */
  async function uploaded(
    token: string,
    fileName: string,
    file: Uint8Array<ArrayBuffer>,
    contentType = 'text/plain',
  ) {
    const created = (
      await as(token).call('POST', '/api/uploads', { fileName, contentType, size: file.length })
    ).json<CreatedPostUpload>();
    const form = await postForm(
      { ...created.post, id: created.id, key: created.key, expiresAt: created.expiresAt },
      file,
    );
    expect(form.status).toBe(201);
    expect((await as(token).call('POST', `/api/uploads/${created.id}/complete`)).status).toBe(200);
    expect((await settledRecord(api.baseUrl, created.id, token)).status).toBe('available');
    return created;
  }

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_MAX: '100000', RECONCILE_INTERVAL_SECONDS: '1' });
  });
  afterAll(() => api.stop());

  it('should download the same bytes under a Unicode name, and answer 409 for one not available', async () => {
    const token = userToken('alice');
    const file = bytes(3000, 0x63);
    const created = await uploaded(token, 'Résumé 報告 😀.txt', file);
    const link = await as(token).call('GET', `/api/uploads/${created.id}/download`);
    expect(link.status).toBe(200);
    const { url, expiresAt } = link.json<DownloadLink>();
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(file))).toBe(true);
    expect(download.headers.get('content-type')).toBe('text/plain');
    const disposition = download.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('Résumé 報告 😀.txt');

    const pending = (
      await as(token).call('POST', '/api/uploads', { fileName: 'p.txt', contentType: 'text/plain', size: 5 })
    ).json<CreatedPostUpload>();
    const refused = await as(token).call('GET', `/api/uploads/${pending.id}/download`);
    expect([refused.status, refused.json().errors[0].code]).toEqual([409, 'upload.not_available']);
  });

  it('should delete an available upload (object gone, record kept) and cancel a pending one, both idempotently', async () => {
    const token = userToken('alice');
    const done = await uploaded(token, 'gone.txt', bytes(100));
    expect((await as(token).call('DELETE', `/api/uploads/${done.id}`)).status).toBe(204);
    expect(await objectExists(done.key)).toBe(false);
    expect((await as(token).call('GET', `/api/uploads/${done.id}`)).json<UploadRecord>()).toMatchObject({
      status: 'deleted',
      deletedAt: expect.any(String),
    });
    expect((await as(token).call('DELETE', `/api/uploads/${done.id}`)).status).toBe(204);

    const pending = (
      await as(token).call('POST', '/api/uploads', {
        fileName: 'never.txt',
        contentType: 'text/plain',
        size: 5,
      })
    ).json<CreatedPostUpload>();
    expect((await as(token).call('DELETE', `/api/uploads/${pending.id}`)).status).toBe(204);
    expect((await as(token).call('GET', `/api/uploads/${pending.id}`)).json<UploadRecord>().status).toBe(
      'canceled',
    );
    expect((await as(token).call('DELETE', `/api/uploads/${pending.id}`)).status).toBe(204);
  });

  it('should give another user 404 on download and delete, and let an admin delete', async () => {
    const done = await uploaded(userToken('alice'), 'mine.txt', bytes(10));
    for (const [method, path] of [
      ['GET', `/api/uploads/${done.id}/download`],
      ['DELETE', `/api/uploads/${done.id}`],
    ]) {
      const response = await as(userToken('bob')).call(method, path);
      expect([response.status, response.json().errors[0].code]).toEqual([404, 'upload.not_found']);
    }
    expect(await objectExists(done.key)).toBe(true);
    expect((await as(userToken('admin')).call('DELETE', `/api/uploads/${done.id}`)).status).toBe(204);
    expect(await objectExists(done.key)).toBe(false);
  });

  it('should page newest first, stay stable while uploads arrive, and refuse a changed cursor', async () => {
    const token = userToken('admin');
    const mine = async () =>
      (await as(token).call('GET', '/api/uploads?limit=100')).json<UploadPage>().items.length;
    const before = await mine();
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}.txt`);
    for (const fileName of names)
      await as(token).call('POST', '/api/uploads', { fileName, contentType: 'text/plain', size: 1 });
    expect(await mine()).toBe(before + 7);

    const first = (await as(token).call('GET', '/api/uploads?limit=3')).json<UploadPage>();
    expect(first.items.map((i) => i.fileName)).toEqual(['page-6.txt', 'page-5.txt', 'page-4.txt']);
    // Uploads that arrive now are newer than every page already handed out.
    await as(token).call('POST', '/api/uploads', {
      fileName: 'late.txt',
      contentType: 'text/plain',
      size: 1,
    });
    const second = (
      await as(token).call('GET', `/api/uploads?limit=3&cursor=${first.nextCursor}`)
    ).json<UploadPage>();
    expect(second.items.map((i) => i.fileName)).toEqual(['page-3.txt', 'page-2.txt', 'page-1.txt']);

    const tampered = `${first.nextCursor?.slice(0, -2)}xx`;
    for (const cursor of [tampered, 'garbage', first.nextCursor]) {
      const path =
        cursor === first.nextCursor
          ? `/api/uploads?status=available&cursor=${cursor}`
          : `/api/uploads?cursor=${cursor}`;
      const response = await as(token).call('GET', path);
      expect([response.status, response.json().errors[0].code]).toEqual([400, 'cursor.invalid']);
    }
  });

  it('should filter by status, check the query, and keep owner= for admins', async () => {
    const alice = userToken('alice');
    const available = (
      await as(alice).call('GET', '/api/uploads?status=available&limit=100')
    ).json<UploadPage>();
    expect(available.items.length).toBeGreaterThan(0);
    expect(available.items.every((i) => i.status === 'available' && i.owner.subject === 'alice')).toBe(true);
    for (const [query, code] of [
      ['limit=0', 'limit.invalid'],
      ['limit=101', 'limit.invalid'],
      ['limit=2.5', 'limit.invalid'],
      ['status=lost', 'status.invalid'],
    ]) {
      const response = await as(alice).call('GET', `/api/uploads?${query}`);
      expect([response.status, response.json().errors[0].code]).toEqual([400, code]);
    }
    const forbidden = await as(alice).call('GET', '/api/uploads?owner=*');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toBe(
      'Bearer realm="dropgate", error="insufficient_scope", scope="uploads:admin"',
    );
    expect(forbidden.json().errors).toEqual([
      {
        field: 'owner',
        code: 'auth.insufficient_scope',
        message: 'Listing by owner needs the scope uploads:admin',
      },
    ]);
    const emptyOwner = await as(userToken('admin')).call('GET', '/api/uploads?owner=');
    expect([emptyOwner.status, emptyOwner.json().errors[0]]).toEqual([
      400,
      { field: 'owner', code: 'field.invalid', message: 'owner must be a subject, or * for everyone' },
    ]);
    const everyone = (
      await as(userToken('admin')).call('GET', '/api/uploads?owner=*&limit=100')
    ).json<UploadPage>();
    expect(new Set(everyone.items.map((i) => i.owner.subject)).size).toBeGreaterThan(1);
    const alices = (
      await as(userToken('admin')).call('GET', '/api/uploads?owner=alice&limit=100')
    ).json<UploadPage>();
    expect(alices.items.every((i) => i.owner.subject === 'alice')).toBe(true);
  });

  it('should settle expired pending uploads: scanned and available when the object came, expired when not', async () => {
    const token = serviceToken();
    const body = { fileName: 'late.txt', contentType: 'text/plain', size: 50 };
    const arrived = (await as(token).call('POST', '/api/uploads', body)).json<CreatedPostUpload>();
    const form = await postForm(
      { ...arrived.post, id: arrived.id, key: arrived.key, expiresAt: arrived.expiresAt },
      bytes(50),
    );
    expect(form.status).toBe(201);
    const never = (await as(token).call('POST', '/api/uploads', body)).json<CreatedPostUpload>();
    // As if their policies had run out two minutes ago, and nobody called complete.
    const db = new Client({ connectionString: databaseEnv.DATABASE_URL });
    await db.connect();
    await db.query("UPDATE uploads SET expires_at = now() - interval '2 minutes' WHERE id = ANY($1)", [
      [arrived.id, never.id],
    ]);
    await db.end();
    const statusOf = async (id: string) =>
      (await as(token).call('GET', `/api/uploads/${id}`)).json<UploadRecord>().status;
    for (
      let i = 0;
      i < 50 &&
      (['pending', 'scanning'].includes(await statusOf(arrived.id)) ||
        (await statusOf(never.id)) === 'pending');
      i++
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await statusOf(arrived.id)).toBe('available');
    expect(await statusOf(never.id)).toBe('expired');
  });
});

describe('the quota', () => {
  it('should let exactly as many of twenty racing creates through as fit, and name usage and limit', async () => {
    const api = await startApi({ UPLOAD_QUOTA_BYTES: '10000', RATE_LIMIT_MAX: '100000' });
    try {
      const token = userToken('bob');
      const usage = async () =>
        (await call(api.baseUrl, 'GET', '/api/uploads/usage', undefined, token)).json();
      expect(await usage()).toEqual({ usedBytes: 0, quotaBytes: 10000 });
      const body = { fileName: 'part.txt', contentType: 'text/plain', size: 1000 };
      // Bob creates nothing anywhere else in these tests, so all the room is his.
      const before = await Promise.all(
        Array.from({ length: 20 }, () => call(api.baseUrl, 'POST', '/api/uploads', body, token)),
      );
      const created = before.filter((r) => r.status === 201).length;
      const refused = before.filter((r) => r.status === 409);
      expect(created + refused.length).toBe(20);
      expect(created).toBe(10);
      expect(refused[0].json().errors[0].code).toBe('quota.exceeded');
      expect(refused[0].json().detail).toContain('(10000 of 10000 bytes)');
      // Bob's own bytes only: alice's uploads in the same database (above) are not his.
      expect(await usage()).toEqual({ usedBytes: 10000, quotaBytes: 10000 });
    } finally {
      await api.stop();
    }
  });
});
