import { randomUUID } from 'node:crypto';
import type { CreatedPostUpload, UploadRecord } from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase, withClient } from './support/database';
import { bearer, bytes, postForm, send, userToken, type RawResponse } from './support/http';

// Idempotency-Key on create and complete (IETF httpapi draft, sections 2.6–2.7), against the real
// database: one record per key, the first answer replayed, a reused key refused.
describe('Idempotency-Key', () => {
  const DB = 'idempotency_e2e';
  let api: RunningApi;
  let databaseUrl: string;
  const pdf = (fileName: string, size = 1024) => ({ fileName, contentType: 'application/pdf', size });
  const post = (path: string, body: unknown, key?: string, token = userToken('alice')) =>
    send(api.baseUrl, path, {
      method: 'POST',
      headers: {
        ...bearer(token),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(key !== undefined && { 'idempotency-key': key }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const recordsNamed = (fileName: string) =>
    withClient(databaseUrl, async (c) => {
      const { rows } = await c.query<{ id: string }>('SELECT id FROM uploads WHERE file_name = $1', [
        fileName,
      ]);
      return rows.map((row) => row.id);
    });
  const codeOf = (response: RawResponse) => response.json().errors[0]?.code;

  beforeAll(async () => {
    databaseUrl = await emptyDatabase(DB);
    api = await startApi({ DATABASE_URL: databaseUrl, RATE_LIMIT_MAX: '100000' });
  });
  afterAll(async () => {
    await api?.stop();
    await dropDatabase(DB);
  });

  it('should replay the first create for the same key and body: the same id, one record', async () => {
    const key = `"${randomUUID()}"`;
    const first = await post('/api/uploads', pdf('replayed.pdf'), key);
    const second = await post('/api/uploads', pdf('replayed.pdf'), key);

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json<CreatedPostUpload>()).toEqual(first.json<CreatedPostUpload>());
    expect(await recordsNamed('replayed.pdf')).toEqual([first.json<CreatedPostUpload>().id]);
  });

  it('should answer 422 idempotency.key_reused for the same key with another body', async () => {
    const key = randomUUID();
    expect((await post('/api/uploads', pdf('first.pdf'), key)).status).toBe(201);
    const reused = await post('/api/uploads', pdf('second.pdf'), key);

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(codeOf(reused)).toBe('idempotency.key_reused');
    expect(await recordsNamed('second.pdf')).toEqual([]);
  });

  it('should keep no key for a refused request, so the corrected retry runs afresh', async () => {
    const key = randomUUID();
    const refused = await post('/api/uploads', { ...pdf('fixed.pdf'), contentType: 'text/html' }, key);
    expect(refused.status).toBe(400);
    const retried = await post('/api/uploads', pdf('fixed.pdf'), key);

    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await recordsNamed('fixed.pdf')).toHaveLength(1);
  });

  it('should make one record from ten creates racing with one key; the rest replay it or wait', async () => {
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post('/api/uploads', pdf('raced.pdf'), key)),
    );

    const ids = await recordsNamed('raced.pdf');
    expect(ids).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 201) expect(answer.json<CreatedPostUpload>().id).toBe(ids[0]);
      else {
        expect(answer.status).toBe(409);
        expect(codeOf(answer)).toBe('idempotency.in_flight');
        expect(answer.headers.get('retry-after')).toBe('1');
      }
    }
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
  });

  it('should keep keys per principal: the same key from two people makes two uploads', async () => {
    const key = randomUUID();
    const alice = await post('/api/uploads', pdf('shared-key.pdf'), key, userToken('alice'));
    const bob = await post('/api/uploads', pdf('shared-key.pdf'), key, userToken('bob'));

    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.json<CreatedPostUpload>().id).not.toBe(alice.json<CreatedPostUpload>().id);
    expect(await recordsNamed('shared-key.pdf')).toHaveLength(2);
  });

  it('should replay a complete, and refuse its key on another route', async () => {
    const created = (
      await post('/api/uploads', pdf('completed.pdf'), randomUUID())
    ).json<CreatedPostUpload>();
    const sent = await postForm(
      { ...created.post, id: created.id, key: created.key, expiresAt: created.expiresAt },
      bytes(1024),
    );
    expect(sent.status).toBe(201);
    const key = randomUUID();
    const first = await post(`/api/uploads/${created.id}/complete`, undefined, key);
    const second = await post(`/api/uploads/${created.id}/complete`, undefined, key);

    expect(first.status).toBe(200);
    expect(first.json<UploadRecord>().status).toBe('scanning');
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json()).toEqual(first.json());
    const elsewhere = await post('/api/uploads', pdf('completed.pdf'), key);
    expect(elsewhere.status).toBe(422);
    expect(codeOf(elsewhere)).toBe('idempotency.key_reused');
  });

  it('should keep no key for a complete that failed, so the retry runs it again', async () => {
    const created = (await post('/api/uploads', pdf('not-sent.pdf'))).json<CreatedPostUpload>();
    const key = randomUUID();
    const early = await post(`/api/uploads/${created.id}/complete`, undefined, key);
    expect(early.status).toBe(409);
    expect(codeOf(early)).toBe('upload.not_in_storage');
    await postForm(
      { ...created.post, id: created.id, key: created.key, expiresAt: created.expiresAt },
      bytes(1024),
    );
    const retried = await post(`/api/uploads/${created.id}/complete`, undefined, key);

    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it.each([
    ['empty quotes', '""'],
    ['an unbalanced quote', '"abc'],
    ['257 characters', 'k'.repeat(257)],
  ])('should refuse %s with 400 idempotency.key_invalid and create nothing', async (_name, key) => {
    const refused = await post('/api/uploads', pdf('bad-key.pdf'), key);
    expect(refused.status).toBe(400);
    expect(codeOf(refused)).toBe('idempotency.key_invalid');
    expect(await recordsNamed('bad-key.pdf')).toEqual([]);
  });
});
