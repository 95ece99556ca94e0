import { bytes, postForm, presign } from './support/http';
import { startApi, type RunningApi } from './support/api-process';
import { ensureBucket, gatewayEnv, headObject, objectExists, stagingKeyOf } from './support/gateway';

// Each test signs through the real API over HTTP, then POSTs to the real gateway, which is
// what enforces the policy.
describe('presigned POST enforced by the gateway', () => {
  let api: RunningApi;
  const size = 2048;
  const sign = (fileName = 'report.pdf', contentType = 'application/pdf', bytesDeclared = size) =>
    presign(api.baseUrl, { fileName, contentType, size: bytesDeclared });

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it('should store the right file under its staging key only, and answer 201 with that key', async () => {
    const post = await sign('q3 report.pdf');
    const result = await postForm(post, bytes(size));
    expect(result.status).toBe(201);
    expect(result.text).toContain(`<Key>${stagingKeyOf(post.key)}</Key>`);
    const head = await headObject(stagingKeyOf(post.key));
    expect(head.ContentLength).toBe(size);
    expect(head.ContentType).toBe('application/pdf');
  });

  it.each([
    ['one byte more', size + 1, 'EntityTooLarge'],
    ['one byte fewer', size - 1, 'EntityTooSmall'],
  ])('should reject %s than declared', async (_case, actual, code) => {
    const post = await sign();
    const result = await postForm(post, bytes(actual));
    expect(result.status).toBe(400);
    expect(result.code).toBe(code);
    expect(await objectExists(stagingKeyOf(post.key))).toBe(false);
  });

  it('should reject another key', async () => {
    const post = await sign();
    const otherKey = stagingKeyOf(post.key).replace(/[^/]+$/, 'other.pdf');
    const result = await postForm(post, bytes(size), { override: { key: otherKey } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
    expect(await objectExists(otherKey)).toBe(false);
  });

  it('should refuse the final key, which only the server writes', async () => {
    const post = await sign();
    const result = await postForm(post, bytes(size), { override: { key: post.key } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
    expect(await objectExists(post.key)).toBe(false);
  });

  it('should reject another Content-Type', async () => {
    const post = await sign();
    const result = await postForm(post, bytes(size), { override: { 'Content-Type': 'text/html' } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
    expect(await objectExists(stagingKeyOf(post.key))).toBe(false);
  });

  it('should reject an extra unsigned field', async () => {
    const post = await sign();
    const result = await postForm(post, bytes(size), { extra: { 'x-amz-meta-x': 'smuggled' } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
    expect(result.message).toMatch(/x-amz-meta-x/);
  });

  it('should reject a tampered signature', async () => {
    const post = await sign();
    const signature = post.fields['X-Amz-Signature'];
    const tampered = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    const result = await postForm(post, bytes(size), { override: { 'X-Amz-Signature': tampered } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
    expect(await objectExists(stagingKeyOf(post.key))).toBe(false);
  });

  it('should reject a tampered policy', async () => {
    const post = await sign();
    const policy = JSON.parse(Buffer.from(post.fields['Policy'], 'base64').toString());
    policy.conditions = policy.conditions.map((c: unknown) =>
      Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 0, 10 ** 9] : c,
    );
    const forged = Buffer.from(JSON.stringify(policy)).toString('base64');
    const result = await postForm(post, bytes(size * 4), { override: { Policy: forged } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
  });

  it('should reject a second, different file under the same policy', async () => {
    const post = await sign();
    expect((await postForm(post, bytes(size))).status).toBe(201);
    const second = await postForm(post, bytes(size + 100, 0x62));
    expect([second.status, second.code]).toEqual([400, 'EntityTooLarge']);
    expect((await headObject(stagingKeyOf(post.key))).ContentLength).toBe(size);
  });

  it('should reject the policy posted to a different bucket', async () => {
    await ensureBucket('dropgate-other');
    const post = await sign();
    const url = post.url.replace(new RegExp(`/${gatewayEnv.S3_BUCKET}$`), '/dropgate-other');
    expect(url).not.toBe(post.url);
    const result = await postForm(post, bytes(size), { url, override: { bucket: 'dropgate-other' } });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
  });

  it('should keep the sanitised name as the last part of the key', async () => {
    const post = await sign('../../etc/\u202Epasswd');
    expect(post.key).toMatch(/^uploads\/[a-z2-7]{26}\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\/passwd$/);
    expect((await postForm(post, bytes(size))).status).toBe(201);
  });
});

describe('presigned POST after expiry', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ UPLOAD_POST_EXPIRES_SECONDS: '1' });
  });
  afterAll(() => api.stop());

  it('should reject a policy reused after it expired', async () => {
    const post = await presign(api.baseUrl, {
      fileName: 'late.pdf',
      contentType: 'application/pdf',
      size: 10,
    });
    const wait = Date.parse(post.expiresAt) - Date.now() + 1500;
    await new Promise((resolve) => setTimeout(resolve, wait));
    const result = await postForm(post, bytes(10));
    expect([result.status, result.code, result.message]).toEqual([403, 'AccessDenied', 'Policy expired']);
    expect(await objectExists(stagingKeyOf(post.key))).toBe(false);
  });
});
