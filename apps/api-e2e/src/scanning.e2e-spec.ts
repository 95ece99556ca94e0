import { randomBytes } from 'node:crypto';
import type { CreateUploadRequest, DownloadLink, UploadRecord } from '@dropgate/shared/api-contract';
import { runApiExpectingFailure, startApi, type RunningApi } from './support/api-process';
import { privateClamd } from './support/clamd';
import { dropDatabase, emptyDatabase, sweepDueNow } from './support/database';
import { objectBytes, objectExists, objectGone, stagingKeyOf } from './support/gateway';
import { asPresignedPost, call, postForm, sendFile, settledRecord, userToken } from './support/http';
import { EICAR, EICAR_SIGNATURE, tarGz, zip } from './support/samples';

// Uploads are scanned by the real clamd (the project's test signatures) before they are offered,
// and only the server writes the final key. Instances that share a database share its scanning
// queue, so the APIs started with settings of their own get a database of their own.

const text = (fileName: string, size: number): CreateUploadRequest => ({
  fileName,
  contentType: 'text/plain',
  size,
});

/** The bytes a download link serves. */
async function downloaded(baseUrl: string, id: string, token?: string): Promise<Buffer> {
  const link = await call(baseUrl, 'GET', `/api/uploads/${id}/download`, undefined, token);
  expect(link.status).toBe(200);
  return Buffer.from(await (await fetch(link.json<DownloadLink>().url)).arrayBuffer());
}

describe('scanning uploads', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({
      RATE_LIMIT_MAX: '100000',
      RECONCILE_INTERVAL_SECONDS: '1',
      UPLOAD_ALLOWED_TYPES: 'text/plain,application/zip,application/gzip',
    });
  });
  afterAll(() => api.stop());

  it('should scan a clean file, then copy it to its final key and delete the staged one', async () => {
    const file = new Uint8Array(randomBytes(5000));
    const { created, completed } = await sendFile(api.baseUrl, text('clean.txt', file.length), file);
    expect(completed.status).toBe(200);
    expect(['scanning', 'available']).toContain(completed.json<UploadRecord>().status);
    expect(await settledRecord(api.baseUrl, created.id)).toMatchObject({
      status: 'available',
      scan: 'clean',
    });
    expect(await objectBytes(created.key)).toEqual(Buffer.from(file));
    // The staged copy is the staging sweep's, once the policy can no longer write it.
    expect(await objectExists(stagingKeyOf(created.key))).toBe(true);
    await sweepDueNow(created.id);
    expect(await objectGone(stagingKeyOf(created.key))).toBe(true);
    expect(await downloaded(api.baseUrl, created.id)).toEqual(Buffer.from(file));
  });

  it.each<[string, string, string, Buffer]>([
    ['EICAR as a .txt', 'eicar.txt', 'text/plain', EICAR],
    ['EICAR with CRLF', 'eicar-crlf.txt', 'text/plain', Buffer.concat([EICAR, Buffer.from('\r\n')])],
    ['EICAR inside a .zip', 'eicar.zip', 'application/zip', zip('eicar.com', EICAR)],
    ['EICAR inside a .tar.gz', 'eicar.tar.gz', 'application/gzip', tarGz('docs/eicar.txt', EICAR)],
  ])(
    'should find %s: infected, the staged object gone, nothing under the final key',
    async (_case, name, type, content) => {
      const file = new Uint8Array(content);
      const { created } = await sendFile(
        api.baseUrl,
        { fileName: name, contentType: type, size: file.length },
        file,
      );
      expect(await settledRecord(api.baseUrl, created.id)).toMatchObject({
        status: 'infected',
        signature: EICAR_SIGNATURE,
      });
      expect(await objectExists(stagingKeyOf(created.key))).toBe(false);
      expect(await objectExists(created.key)).toBe(false);
      const download = await call(api.baseUrl, 'GET', `/api/uploads/${created.id}/download`);
      expect([download.status, download.json().errors[0].code]).toEqual([409, 'upload.not_available']);
    },
  );

  it('should hold an encrypted zip, which the scanner cannot see into', async () => {
    const file = new Uint8Array(zip('eicar.com', EICAR, 'secret'));
    const { created } = await sendFile(
      api.baseUrl,
      { fileName: 'locked.zip', contentType: 'application/zip', size: file.length },
      file,
    );
    expect(await settledRecord(api.baseUrl, created.id)).toMatchObject({
      status: 'held',
      reason: 'encrypted',
    });
    expect(await objectExists(created.key)).toBe(false);
  });

  it('should keep the original bytes when the saved policy is POSTed again after completion', async () => {
    const original = new Uint8Array(1000).fill(0x41);
    const { created } = await sendFile(api.baseUrl, text('a.txt', 1000), original);
    expect((await settledRecord(api.baseUrl, created.id)).status).toBe('available');
    const again = await postForm(asPresignedPost(created), new Uint8Array(1000).fill(0x42));
    expect([201, 204]).toContain(again.status);
    expect(await downloaded(api.baseUrl, created.id)).toEqual(Buffer.from(original));
    // The second POST landed in staging; the reconciler deletes it once the policy is spent.
    expect(await objectExists(stagingKeyOf(created.key))).toBe(true);
    await sweepDueNow(created.id);
    expect(await objectGone(stagingKeyOf(created.key))).toBe(true);
    expect(await downloaded(api.baseUrl, created.id)).toEqual(Buffer.from(original));
  });

  it.each(['cancel', 'delete'])(
    'should leave nothing behind when the saved policy is POSTed again after a %s',
    async (how) => {
      const file = new Uint8Array(800).fill(0x43);
      const created = (await call(api.baseUrl, 'POST', '/api/uploads', text('gone.txt', 800))).json<
        Parameters<typeof asPresignedPost>[0]
      >();
      expect((await postForm(asPresignedPost(created), file)).status).toBe(201);
      if (how === 'delete') {
        await call(api.baseUrl, 'POST', `/api/uploads/${created.id}/complete`);
        expect((await settledRecord(api.baseUrl, created.id)).status).toBe('available');
      }
      expect((await call(api.baseUrl, 'DELETE', `/api/uploads/${created.id}`)).status).toBe(204);
      expect((await postForm(asPresignedPost(created), file)).status).toBe(201);
      expect(await objectExists(stagingKeyOf(created.key))).toBe(true);
      await sweepDueNow(created.id);
      expect(await objectGone(stagingKeyOf(created.key))).toBe(true);
      expect(await objectExists(created.key)).toBe(false);
    },
  );
});

describe('files too large to scan', () => {
  const LIMIT = 4096;
  let held: RunningApi;
  let allowed: RunningApi;

  beforeAll(async () => {
    const [heldDb, allowedDb] = await Promise.all([
      emptyDatabase('scan_held'),
      emptyDatabase('scan_allowed'),
    ]);
    [held, allowed] = await Promise.all([
      startApi({ DATABASE_URL: heldDb, RATE_LIMIT_MAX: '100000', UPLOAD_SCAN_MAX_BYTES: String(LIMIT) }),
      startApi({
        DATABASE_URL: allowedDb,
        RATE_LIMIT_MAX: '100000',
        UPLOAD_SCAN_MAX_BYTES: String(LIMIT),
        UPLOAD_SCAN_OVERSIZE: 'allow',
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([held.stop(), allowed.stop()]);
    await Promise.all([dropDatabase('scan_held'), dropDatabase('scan_allowed')]);
  });

  it('should hold one; an admin releases it, and it becomes available and downloadable', async () => {
    const file = new Uint8Array(randomBytes(LIMIT + 1));
    const alice = userToken('alice');
    const { created } = await sendFile(held.baseUrl, text('big.txt', file.length), file, alice);
    expect(await settledRecord(held.baseUrl, created.id, alice)).toMatchObject({
      status: 'held',
      reason: 'too_large_to_scan',
    });
    const early = await call(held.baseUrl, 'GET', `/api/uploads/${created.id}/download`, undefined, alice);
    expect([early.status, early.json().errors[0].code]).toEqual([409, 'upload.not_available']);

    const path = `/api/uploads/${created.id}/release`;
    const byOwner = await call(held.baseUrl, 'POST', path, { reason: 'mine' }, alice);
    expect([byOwner.status, byOwner.json().errors[0].code]).toEqual([403, 'auth.insufficient_scope']);
    const admin = userToken('admin');
    for (const [body, code] of [
      [{}, 'reason.required'],
      [{ reason: '' }, 'reason.invalid'],
      [{ reason: 7 }, 'reason.invalid'],
      [{ reason: 'x'.repeat(501) }, 'reason.invalid'],
    ] as const) {
      const refused = await call(held.baseUrl, 'POST', path, body, admin);
      expect([refused.status, refused.json().errors[0].code]).toEqual([400, code]);
    }

    const released = await call(held.baseUrl, 'POST', path, { reason: 'Checked offline' }, admin);
    expect(released.status).toBe(200);
    expect(released.json<UploadRecord>()).toMatchObject({
      status: 'available',
      scan: 'released',
      release: { by: expect.stringContaining('admin'), reason: 'Checked offline', at: expect.any(String) },
    });
    expect(await downloaded(held.baseUrl, created.id, alice)).toEqual(Buffer.from(file));
    // The staged copy is the staging sweep's now (its deletion is tested above).
    expect(await objectExists(stagingKeyOf(created.key))).toBe(true);
    const twice = await call(held.baseUrl, 'POST', path, { reason: 'again' }, admin);
    expect([twice.status, twice.json().errors[0].code]).toEqual([409, 'upload.not_held']);
  });

  it('should let an admin delete a held upload, with its staged object', async () => {
    const file = new Uint8Array(randomBytes(LIMIT + 1));
    const { created } = await sendFile(held.baseUrl, text('big2.txt', file.length), file);
    expect((await settledRecord(held.baseUrl, created.id)).status).toBe('held');
    const deleted = await call(
      held.baseUrl,
      'DELETE',
      `/api/uploads/${created.id}`,
      undefined,
      userToken('admin'),
    );
    expect(deleted.status).toBe(204);
    expect((await settledRecord(held.baseUrl, created.id)).status).toBe('deleted');
    expect(await objectExists(stagingKeyOf(created.key))).toBe(false);
  });

  it('should make one available unscanned with UPLOAD_SCAN_OVERSIZE=allow, and say so', async () => {
    const file = new Uint8Array(randomBytes(LIMIT + 1));
    const { created } = await sendFile(allowed.baseUrl, text('big3.txt', file.length), file);
    expect(await settledRecord(allowed.baseUrl, created.id)).toMatchObject({
      status: 'available',
      scan: 'skipped',
    });
    expect(await objectBytes(created.key)).toEqual(Buffer.from(file));
  });
});

describe('while the scanner is down', () => {
  const clamd = privateClamd('scanning-e2e-clamd', 7515);
  let api: RunningApi;

  beforeAll(async () => {
    clamd.start();
    const url = await emptyDatabase('scan_down');
    api = await startApi({ DATABASE_URL: url, RATE_LIMIT_MAX: '100000', CLAMD_URL: clamd.url });
  }, 60_000);
  afterAll(async () => {
    await api.stop();
    clamd.reset();
    await dropDatabase('scan_down');
  });

  it('should keep uploads scanning (not downloadable) while clamd is stopped, and finish them once it is back', async () => {
    clamd.stop();
    const file = new Uint8Array(randomBytes(3000));
    const { created, completed } = await sendFile(api.baseUrl, text('waits.txt', file.length), file);
    expect(completed.json<UploadRecord>().status).toBe('scanning');
    const ready = await call(api.baseUrl, 'GET', '/api/health/ready');
    expect([
      ready.status,
      ready.json<{ info: { scanner: { status: string } } }>().info.scanner.status,
    ]).toEqual([200, 'down']);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await settledRecord(api.baseUrl, created.id, undefined, 0)).status).toBe('scanning');
    const download = await call(api.baseUrl, 'GET', `/api/uploads/${created.id}/download`);
    expect([download.status, download.json().errors[0].code]).toEqual([409, 'upload.not_available']);

    clamd.start();
    expect(await settledRecord(api.baseUrl, created.id, undefined, 60_000)).toMatchObject({
      status: 'available',
      scan: 'clean',
    });
    expect(await downloaded(api.baseUrl, created.id)).toEqual(Buffer.from(file));
  }, 90_000);

  it('should retry a scan whose clamd was killed mid-stream, and never take it for clean', async () => {
    // Frozen, clamd still accepts the connection and the bytes sent fill its socket: the scan is
    // under way when it is killed.
    clamd.signal('SIGSTOP');
    const file = new Uint8Array(Buffer.concat([randomBytes(2 * 1024 * 1024), EICAR]));
    const { created } = await sendFile(api.baseUrl, text('killed.txt', file.length), file);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    clamd.signal('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await settledRecord(api.baseUrl, created.id, undefined, 0)).status).toBe('scanning');
    expect(api.output()).toMatch(new RegExp(`upload ${created.id} not scanned \\(.*\\); will retry`));

    clamd.start();
    expect(await settledRecord(api.baseUrl, created.id, undefined, 60_000)).toMatchObject({
      status: 'infected',
      signature: EICAR_SIGNATURE,
    });
  }, 90_000);

  it('should reject an upload whose staged object was replaced after its check, keeping neither object', async () => {
    // With clamd down, the upload waits in `scanning` while the saved policy writes the staging key
    // again; each new attempt reads the object only if it still has the verified ETag.
    clamd.stop();
    const { created, completed } = await sendFile(
      api.baseUrl,
      text('replaced.txt', 1200),
      new Uint8Array(1200).fill(0x44),
    );
    expect(completed.json<UploadRecord>().status).toBe('scanning');
    const replaced = await postForm(asPresignedPost(created), new Uint8Array(1200).fill(0x45));
    expect([201, 204]).toContain(replaced.status);
    try {
      expect(await settledRecord(api.baseUrl, created.id, undefined, 60_000)).toMatchObject({
        status: 'rejected',
        reason: 'changed_after_verification',
      });
      expect(await objectGone(stagingKeyOf(created.key))).toBe(true);
      expect(await objectExists(created.key)).toBe(false);
    } finally {
      clamd.start();
    }
  }, 90_000);
});

describe('two instances completing the same uploads', () => {
  let first: RunningApi;
  let second: RunningApi;

  beforeAll(async () => {
    const url = await emptyDatabase('scan_twice');
    [first, second] = await Promise.all([
      startApi({ DATABASE_URL: url, RATE_LIMIT_MAX: '100000' }),
      startApi({ DATABASE_URL: url, RATE_LIMIT_MAX: '100000' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()]);
    await dropDatabase('scan_twice');
  });

  it('should scan and promote each file once', async () => {
    const files = Array.from({ length: 20 }, (_, i) => new Uint8Array(randomBytes(2000 + i)));
    const ids = await Promise.all(
      files.map(async (file, i) => {
        const created = (
          await call(first.baseUrl, 'POST', '/api/uploads', text(`twice-${i}.txt`, file.length))
        ).json<Parameters<typeof asPresignedPost>[0]>();
        expect((await postForm(asPresignedPost(created), file)).status).toBe(201);
        const answers = await Promise.all(
          [first, second].map((api) => call(api.baseUrl, 'POST', `/api/uploads/${created.id}/complete`)),
        );
        for (const answer of answers) expect([200, 409]).toContain(answer.status);
        return created.id;
      }),
    );
    for (const [i, id] of ids.entries()) {
      expect((await settledRecord(first.baseUrl, id)).status).toBe('available');
      const record = (await call(second.baseUrl, 'GET', `/api/uploads/${id}/download`)).json<DownloadLink>();
      expect(Buffer.from(await (await fetch(record.url)).arrayBuffer())).toEqual(Buffer.from(files[i]));
    }
    const logs = first.output() + second.output();
    for (const id of ids) {
      expect(logs.split(`upload ${id} is available`).length - 1).toBe(1);
    }
  }, 60_000);
});

describe('scanning settings', () => {
  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['no clamd', { CLAMD_URL: undefined }, /CLAMD_URL is required: .*unless UPLOAD_SCAN=off/],
    ['a clamd that is no URL', { CLAMD_URL: 'localhost:3310' }, /CLAMD_URL must be tcp:\/\/host:port/],
    ['scanning neither on nor off', { UPLOAD_SCAN: 'maybe' }, /UPLOAD_SCAN must be on or off/],
    [
      'a limit past ClamAV’s',
      { UPLOAD_SCAN_MAX_BYTES: String(2 ** 31) },
      /UPLOAD_SCAN_MAX_BYTES must be at most 2147483647/,
    ],
    [
      'staging inside the final prefix',
      { UPLOAD_STAGING_PREFIX: 'uploads/incoming/' },
      /UPLOAD_STAGING_PREFIX must not contain or lie inside UPLOAD_KEY_PREFIX/,
    ],
    [
      'staging the final prefix itself',
      { UPLOAD_STAGING_PREFIX: 'uploads/' },
      /UPLOAD_STAGING_PREFIX must not contain or lie inside UPLOAD_KEY_PREFIX/,
    ],
  ])('should refuse to start with %s, naming the variable', async (_case, env, message) => {
    const result = await runApiExpectingFailure(env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });

  it('should promote verified uploads at once with UPLOAD_SCAN=off, needing no clamd, and say so', async () => {
    const url = await emptyDatabase('scan_off');
    const api = await startApi({ DATABASE_URL: url, UPLOAD_SCAN: 'off', CLAMD_URL: '' });
    try {
      expect(api.output()).toContain('UPLOAD_SCAN=off: uploads are not scanned for malware here');
      const file = new Uint8Array(EICAR);
      const { created, completed } = await sendFile(api.baseUrl, text('unscanned.txt', file.length), file);
      expect(completed.json<UploadRecord>()).toMatchObject({ status: 'available', scan: 'disabled' });
      expect(await objectBytes(created.key)).toEqual(EICAR);
      // Left to the staging sweep, as after a scan.
      expect(await objectExists(stagingKeyOf(created.key))).toBe(true);
      const ready = await call(api.baseUrl, 'GET', '/api/health/ready');
      expect(ready.json<{ info: { scanner: { status: string } } }>().info.scanner.status).toBe('off');
    } finally {
      await api.stop();
      await dropDatabase('scan_off');
    }
  });
});
