import type { CreatedPostUpload } from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase, sweepDueNow, withClient } from './support/database';
import { objectExists, objectGone, stagingKeyOf } from './support/gateway';
import { bytes, call, postForm, settledRecord } from './support/http';

// Every status change goes through one settlement path: whoever loses a race learns it.
describe('settling uploads', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_MAX: '100000', RECONCILE_INTERVAL_SECONDS: '1' });
  });
  afterAll(() => api.stop());

  it('should never answer 204 to a DELETE racing complete while the upload stays available, 50 times over', async () => {
    const file = bytes(1500, 0x62);
    const pairs = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const created = (
          await call(api.baseUrl, 'POST', '/api/uploads', {
            fileName: `race-${i}.txt`,
            contentType: 'text/plain',
            size: file.length,
          })
        ).json<CreatedPostUpload>();
        const sent = await postForm(
          { ...created.post, id: created.id, key: created.key, expiresAt: created.expiresAt },
          file,
        );
        expect(sent.status).toBe(201);
        const [completed, deleted] = await Promise.all([
          call(api.baseUrl, 'POST', `/api/uploads/${created.id}/complete`),
          call(api.baseUrl, 'DELETE', `/api/uploads/${created.id}`),
        ]);
        // Once the scanner is done with it, if the DELETE left it to the scanner.
        const record = await settledRecord(api.baseUrl, created.id);
        // A staged copy outlives a promotion until the staging sweep, due once the policy expires.
        await sweepDueNow(created.id);
        const staged = !(await objectGone(stagingKeyOf(created.key)));
        return { created, completed, deleted, record, stored: await objectExists(created.key), staged };
      }),
    );
    for (const { completed, deleted, record, stored, staged } of pairs) {
      expect([200, 409]).toContain(completed.status);
      expect([204, 409]).toContain(deleted.status);
      if (deleted.status === 204) expect(['canceled', 'deleted']).toContain(record.status);
      else expect(deleted.json().errors[0].code).toBe('upload.settling');
      if (completed.status === 409) expect(completed.json().errors[0].code).toBe('upload.settling');
      // No object without a live record, and no record claiming an object that is not there.
      expect(stored).toBe(record.status === 'available');
      expect(staged).toBe(false);
    }
  }, 120_000);
});

describe('the reconciler at shutdown', () => {
  let url: string;

  beforeAll(async () => {
    url = await emptyDatabase('settlement_check');
  });
  afterAll(() => dropDatabase('settlement_check'));

  it('should stop between rows on SIGTERM, however long the backlog of expired uploads', async () => {
    const api = await startApi({ DATABASE_URL: url, RECONCILE_INTERVAL_SECONDS: '3600' });
    let stopped = false;
    try {
      const count = async () =>
        withClient(url, async (c) =>
          Number((await c.query(`SELECT count(*) FROM uploads WHERE status = 'pending'`)).rows[0].count),
        );
      await withClient(url, (c) =>
        c.query(`INSERT INTO uploads (id, owner_issuer, owner_subject, owner_segment, key, file_name,
                   content_type, size, status, expires_at)
                 SELECT gen_random_uuid(), 'https://idp', 'loader', 'loader', 'uploads/backlog/' || g, 'f.txt',
                   'text/plain', 1, 'pending', now() - interval '1 hour'
                 FROM generate_series(1, 20000) g`),
      );
      // Restart so that the first pass finds the backlog at boot, then stop it in the middle.
      await api.stop();
      stopped = true;
      const busy = await startApi({ DATABASE_URL: url, RECONCILE_INTERVAL_SECONDS: '3600' });
      const deadline = Date.now() + 20_000;
      while ((await count()) === 20000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await busy.stop();
      // It had started, and it exited with most of the backlog still pending: it stopped between
      // rows instead of working through all of them first.
      const left = await count();
      expect(left).toBeLessThan(20000);
      expect(left).toBeGreaterThan(0);
    } finally {
      if (!stopped) await api.stop();
    }
  }, 90_000);
});
