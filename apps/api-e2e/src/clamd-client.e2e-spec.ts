import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ClamdClient, ScannerUnavailableError } from '@dropgate/api/data-access-clamav';
import { ROOT, clamdEnv } from './support/gateway';
import { privateClamd } from './support/clamd';
import { EICAR, EICAR_SIGNATURE, tarGz, zip } from './support/samples';

// Our INSTREAM client against the real clamd of tools/local-clamav, with the project's test
// signatures and the limits that `npm start` sets.

async function* bytes(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

describe('ClamdClient against clamd', () => {
  const sut = new ClamdClient(clamdEnv.CLAMD_URL, { connectTimeoutMs: 2_000, idleTimeoutMs: 30_000 });

  it('should ping', async () => {
    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it.each<[string, Buffer, string]>([
    ['EICAR as .txt', EICAR, EICAR_SIGNATURE],
    ['EICAR with CRLF', Buffer.concat([EICAR, Buffer.from('\r\n')]), EICAR_SIGNATURE],
    ['EICAR inside a .zip', zip('eicar.com', EICAR), EICAR_SIGNATURE],
    ['EICAR inside a .tar.gz', tarGz('docs/eicar.txt', EICAR), EICAR_SIGNATURE],
    ['EICAR after 1 MiB of other bytes', Buffer.concat([randomBytes(1024 * 1024), EICAR]), EICAR_SIGNATURE],
  ])('should find %s', async (_case, content, signature) => {
    await expect(sut.scan(bytes(content))).resolves.toEqual({ kind: 'infected', signature });
  });

  it('should hold an encrypted zip, whose content clamd cannot see', async () => {
    await expect(sut.scan(bytes(zip('eicar.com', EICAR, 'secret')))).resolves.toEqual({
      kind: 'held',
      reason: 'encrypted',
      detail: 'Heuristics.Encrypted.Zip',
    });
  });

  it.each<[string, Buffer]>([
    ['an empty file', Buffer.alloc(0)],
    ['2 MiB of random bytes', randomBytes(2 * 1024 * 1024)],
    ['a zip of a plain text', zip('notes.txt', Buffer.from('just notes\n'))],
  ])('should pass %s', async (_case, content) => {
    await expect(sut.scan(bytes(content))).resolves.toEqual({ kind: 'clean' });
  });

  it('should read a file stream', async () => {
    const dir = join(ROOT, 'tmp/clamd-client-e2e');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'upload.bin');
    writeFileSync(file, Buffer.concat([randomBytes(300 * 1024), EICAR]));
    try {
      await expect(sut.scan(createReadStream(file))).resolves.toEqual({
        kind: 'infected',
        signature: EICAR_SIGNATURE,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('with a small limit', () => {
    const LIMIT = 64 * 1024;
    const clamd = privateClamd('clamd-client-small', 7514, LIMIT);
    const small = new ClamdClient(clamd.url, { connectTimeoutMs: 2_000, idleTimeoutMs: 30_000 });
    beforeAll(() => clamd.start(), 60_000);
    afterAll(() => clamd.reset());

    it('should hold a stream over the limit as too large to scan', async () => {
      await expect(small.scan(bytes(randomBytes(LIMIT + 1)))).resolves.toMatchObject({
        kind: 'held',
        reason: 'too_large_to_scan',
      });
    });

    it('should hold a compressed file that unpacks past the limit', async () => {
      const content = gzipSync(Buffer.concat([Buffer.alloc(4 * LIMIT), EICAR]));
      await expect(small.scan(bytes(content))).resolves.toEqual({
        kind: 'held',
        reason: 'limits_exceeded',
        detail: 'Heuristics.Limits.Exceeded.MaxFileSize',
      });
    });

    // A known gap of ClamAV 1.4, kept here so that it stays known: a zip entry is scanned only up
    // to MaxFileSize, and what lies past it passes without the AlertExceedsMax alert that a .gz
    // gets. If this starts to fail, ClamAV has closed the gap.
    it('should (as ClamAV 1.4 does) pass a zip whose entry hides EICAR past the limit', async () => {
      const hidden = zip('big.bin', Buffer.concat([Buffer.alloc(4 * LIMIT), EICAR]));
      expect(hidden.length).toBeLessThan(LIMIT);
      await expect(small.scan(bytes(hidden))).resolves.toEqual({ kind: 'clean' });
      const early = zip('big.bin', Buffer.concat([EICAR, Buffer.alloc(4 * LIMIT)]));
      await expect(small.scan(bytes(early))).resolves.toEqual({
        kind: 'infected',
        signature: EICAR_SIGNATURE,
      });
    });

    it('should scan a stream of exactly the limit', async () => {
      const content = Buffer.concat([randomBytes(LIMIT - EICAR.length), EICAR]);
      await expect(small.scan(bytes(content))).resolves.toEqual({
        kind: 'infected',
        signature: EICAR_SIGNATURE,
      });
    });

    it('should never read a clamd that is gone as clean', async () => {
      clamd.stop();
      const error = await small.scan(bytes(EICAR)).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ScannerUnavailableError);
      expect(error).toMatchObject({ code: 'connection_refused' });
    });
  });
});
