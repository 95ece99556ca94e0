import { createSecretKey } from 'node:crypto';
import { decodeCursor, encodeCursor } from './upload-cursor';

const key = createSecretKey(Buffer.alloc(32, 7));
const position = { afterId: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55', query: 'alice|available' };

describe('upload cursors', () => {
  it('should give back the position it was made from', () => {
    expect(decodeCursor(encodeCursor(position, key), key)).toEqual(position);
  });

  it('should be opaque: no id or query in plain sight', () => {
    const cursor = encodeCursor(position, key);
    expect(cursor).not.toContain(position.afterId);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['one changed character in the body', (c: string) => `${c[0] === 'A' ? 'B' : 'A'}${c.slice(1)}`],
    [
      'one changed character in the signature',
      (c: string) => `${c.slice(0, -1)}${c.endsWith('A') ? 'B' : 'A'}`,
    ],
    ['a body made up with no signature', () => Buffer.from('["x","y"]').toString('base64url')],
    [
      'a body made up with a signature of another key',
      () => encodeCursor(position, createSecretKey(Buffer.alloc(32, 8))),
    ],
    ['an extra part', (c: string) => `${c}.x`],
    ['garbage', () => '%%%'],
    ['an empty string', () => ''],
    ['something very long', () => 'a'.repeat(600)],
  ])('should refuse %s', (_case, tamper) => {
    expect(decodeCursor(tamper(encodeCursor(position, key)), key)).toBeUndefined();
  });
});
