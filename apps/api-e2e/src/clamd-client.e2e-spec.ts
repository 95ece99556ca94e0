import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { ClamdClient, ScannerUnavailableError } from '@dropgate/api/data-access-clamav';
import { ROOT, clamdEnv } from './support/gateway';

// Our INSTREAM client against the real clamd of tools/local-clamav, with the project's test
// signatures and the limits that `npm start` sets.

/** The EICAR test file, put together here so that no file of the project is one. */
const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-', 'ANTIVIRUS-TEST-FILE!', '$H+H*'].join(''),
);
/** The body signature (.ndb) matches before the whole-file hash (.hdb) does. */
const EICAR_SIGNATURE = 'Dropgate.Test.EICAR.UNOFFICIAL';

async function* bytes(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

// --- archives, written here so that the test needs no zip or tar on the machine ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crcStep = (crc: number, byte: number) => (CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)) >>> 0;

/** PKWARE's traditional ("ZipCrypto") encryption, which is what `zip -P` writes. */
function zipCrypto(data: Buffer, password: string, crc: number): Buffer {
  const keys = [0x12345678, 0x23456789, 0x34567890];
  const update = (byte: number) => {
    keys[0] = crcStep(keys[0], byte);
    keys[1] = (Math.imul((keys[1] + (keys[0] & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    keys[2] = crcStep(keys[2], keys[1] >>> 24);
  };
  for (const byte of Buffer.from(password)) update(byte);
  const header = randomBytes(12);
  header[11] = crc >>> 24; // the check byte that lets unzip tell a wrong password
  const plain = Buffer.concat([header, data]);
  const out = Buffer.alloc(plain.length);
  for (let i = 0; i < plain.length; i++) {
    const t = (keys[2] | 2) & 0xffff;
    out[i] = plain[i] ^ ((Math.imul(t, t ^ 1) >>> 8) & 0xff);
    update(plain[i]);
  }
  return out;
}

/** A one-file zip: deflated, and encrypted with `password` when given. */
function zip(name: string, content: Buffer, password?: string): Buffer {
  const crc = crc32(content);
  const deflated = deflateRawSync(content);
  const data = password ? zipCrypto(deflated, password, crc) : deflated;
  const fileName = Buffer.from(name);
  const fields = (signature: number, central: boolean) => {
    const head = Buffer.alloc(central ? 46 : 30);
    let at = head.writeUInt32LE(signature, 0);
    if (central) at = head.writeUInt16LE(20, at); // made by
    at = head.writeUInt16LE(20, at); // needed to extract
    at = head.writeUInt16LE(password ? 1 : 0, at); // flags: encrypted
    at = head.writeUInt16LE(8, at); // deflate
    at = head.writeUInt32LE(0x00210000, at); // 1980-01-01 00:00
    at = head.writeUInt32LE(crc, at);
    at = head.writeUInt32LE(data.length, at);
    at = head.writeUInt32LE(content.length, at);
    head.writeUInt16LE(fileName.length, at);
    // Extra, comment, disk, attributes and the local header's offset (0) stay zero.
    return Buffer.concat([head, fileName]);
  };
  const local = Buffer.concat([fields(0x04034b50, false), data]);
  const central = fields(0x02014b50, true);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, central, end]);
}

/** A one-file ustar archive, gzipped. */
function tarGz(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148); // the checksum counts itself as spaces
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return gzipSync(Buffer.concat([header, content, padding, Buffer.alloc(1024)]));
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
    const FLAGS = ['--dir', 'tmp/clamd-client-small', '--port', '7514', '--max-bytes', String(LIMIT)];
    const tool = (command: string) =>
      execFileSync(process.execPath, ['tools/local-clamav/local-clamav.mjs', command, ...FLAGS], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    const small = new ClamdClient('tcp://127.0.0.1:7514', { connectTimeoutMs: 2_000, idleTimeoutMs: 30_000 });
    beforeAll(() => tool('start'), 60_000);
    afterAll(() => tool('reset'));

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
      tool('stop');
      const error = await small.scan(bytes(EICAR)).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ScannerUnavailableError);
      expect(error).toMatchObject({ code: 'connection_refused' });
    });
  });
});
