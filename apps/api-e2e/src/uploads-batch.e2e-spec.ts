import { randomUUID } from 'node:crypto';
import type {
  CreatedPostUpload,
  CreatedUploadsBatch,
  ProblemDetails,
  UploadRecord,
} from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase, withClient } from './support/database';
import { asPresignedPost, bearer, bytes, postForm, send, settledRecord, userToken } from './support/http';

// POST /api/uploads/batch against the real database and gateway: many records in one call, every
// file's policy good at storage, the whole batch refused for one bad file or a full quota.
describe('POST /api/uploads/batch', () => {
  const DB = 'uploads_batch_e2e';
  const QUOTA = 64 * 1024;
  let api: RunningApi;
  let databaseUrl: string;
  const pdf = (fileName: string, size = 1024) => ({ fileName, contentType: 'application/pdf', size });
  const batch = (body: unknown, user: 'alice' | 'bob' = 'alice', headers: Record<string, string> = {}) =>
    send(api.baseUrl, '/api/uploads/batch', {
      method: 'POST',
      headers: { ...bearer(userToken(user)), 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const recordCount = (subject: string) =>
    withClient(databaseUrl, async (c) => {
      const { rows } = await c.query<{ n: string }>(
        'SELECT count(*) AS n FROM uploads WHERE owner_subject = $1',
        [subject],
      );
      return Number(rows[0].n);
    });
  const fields = (response: { json: <T>() => T }) =>
    response.json<ProblemDetails>().errors.map((e) => `${e.field}:${e.code}`);

  beforeAll(async () => {
    databaseUrl = await emptyDatabase(DB);
    api = await startApi({
      DATABASE_URL: databaseUrl,
      RATE_LIMIT_MAX: '100000',
      UPLOAD_QUOTA_BYTES: String(QUOTA),
    });
  });
  afterAll(async () => {
    await api?.stop();
    await dropDatabase(DB);
  });

  it('should create every file, each with a policy storage accepts, and complete each', async () => {
    const names = ['a.pdf', 'b.pdf', 'c.pdf'];
    const response = await batch({ files: names.map((name) => pdf(name, 512)) });
    expect(response.status).toBe(201);
    const { uploads } = response.json<CreatedUploadsBatch>();
    expect(uploads.map((u) => u.key.split('/').pop())).toEqual(names);
    for (const upload of uploads as CreatedPostUpload[]) {
      expect((await postForm(asPresignedPost(upload), bytes(512))).status).toBe(201);
      const completed = await send(api.baseUrl, `/api/uploads/${upload.id}/complete`, {
        method: 'POST',
        headers: bearer(userToken('alice')),
      });
      expect(completed.status).toBe(200);
      const record = await settledRecord(api.baseUrl, upload.id, userToken('alice'));
      expect(record).toMatchObject<Partial<UploadRecord>>({ status: 'available', size: 512 });
    }
  });

  it('should refuse the whole batch with 400, naming each bad file by its index, and record nothing', async () => {
    const before = await recordCount('alice');
    const response = await batch({
      files: [
        pdf('ok.pdf'),
        { ...pdf('x.exe'), contentType: 'application/x-msdownload' },
        { ...pdf('y.pdf'), size: 0 },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(fields(response)).toEqual(['files.2.size:size.too_small']);
    const rules = await batch({
      files: [pdf('ok.pdf'), { ...pdf('x.exe'), contentType: 'application/x-msdownload' }],
    });
    expect(rules.status).toBe(400);
    expect(fields(rules)).toEqual(['files.1.contentType:contentType.not_allowed']);
    expect(await recordCount('alice')).toBe(before);
  });

  it('should answer 400 for more than 100 files, or none', async () => {
    const many = await batch({ files: Array.from({ length: 101 }, (_, i) => pdf(`f${i}.pdf`, 1)) });
    expect([many.status, fields(many)]).toEqual([400, ['files:files.too_many']]);
    const none = await batch({ files: [] });
    expect([none.status, fields(none)]).toEqual([400, ['files:files.invalid']]);
  });

  it('should take a hundred files with long names, past the single create’s body limit', async () => {
    const files = Array.from({ length: 100 }, (_, i) => pdf(`${'long name '.repeat(40)}${i}.pdf`, 1));
    const body = JSON.stringify({ files });
    expect(body.length).toBeGreaterThan(16 * 1024);
    const response = await batch(body, 'bob');
    expect(response.status).toBe(201);
    expect(response.json<CreatedUploadsBatch>().uploads).toHaveLength(100);
    expect(await recordCount('bob')).toBe(100);
  });

  it('should create none of a batch that does not fit the quota whole', async () => {
    const before = await recordCount('alice');
    const response = await batch({ files: [pdf('fits.pdf', 1024), pdf('too-big.pdf', QUOTA)] });
    expect(response.status).toBe(409);
    expect(response.json<ProblemDetails>().errors[0].code).toBe('quota.exceeded');
    expect(await recordCount('alice')).toBe(before);
  });

  it('should replay a batch for the same Idempotency-Key', async () => {
    const key = randomUUID();
    const body = { files: [pdf('replay-1.pdf'), pdf('replay-2.pdf')] };
    const first = await batch(body, 'alice', { 'idempotency-key': key });
    const second = await batch(body, 'alice', { 'idempotency-key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json<CreatedUploadsBatch>().uploads.map((u) => u.id)).toEqual(
      first.json<CreatedUploadsBatch>().uploads.map((u) => u.id),
    );
  });
});
