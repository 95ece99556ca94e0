import { randomBytes } from 'node:crypto';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

// Files the scanner must judge, written here so that no file of the project is malware-like and
// the tests need no zip or tar on the machine.

/** The EICAR test file, put together here so that no file of the project is one. */
export const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-', 'ANTIVIRUS-TEST-FILE!', '$H+H*'].join(''),
);
/** The body signature (.ndb) matches before the whole-file hash (.hdb) does. */
export const EICAR_SIGNATURE = 'Dropgate.Test.EICAR.UNOFFICIAL';

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
export function zip(name: string, content: Buffer, password?: string): Buffer {
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
export function tarGz(name: string, content: Buffer): Buffer {
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
