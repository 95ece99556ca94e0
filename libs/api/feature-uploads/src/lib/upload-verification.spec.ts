import { createHash } from 'node:crypto';
import { verifyStored } from './upload-verification';

const body = Buffer.from('hello');
const md5 = createHash('md5').update(body).digest('base64');
const hex = createHash('md5').update(body).digest('hex');
const declared = { size: 5, contentType: 'text/plain', md5: null };

describe('verifyStored', () => {
  it.each([
    ['the object as declared', declared, { size: 5, contentType: 'text/plain', etag: hex }, undefined],
    [
      'the declared MD5 as its ETag',
      { ...declared, md5 },
      { size: 5, contentType: 'text/plain', etag: hex },
      undefined,
    ],
    [
      'an ETag in upper case',
      { ...declared, md5 },
      { size: 5, contentType: 'text/plain', etag: hex.toUpperCase() },
      undefined,
    ],
    ['one byte more', declared, { size: 6, contentType: 'text/plain', etag: hex }, 'size_mismatch'],
    ['another type', declared, { size: 5, contentType: 'text/html', etag: hex }, 'content_type_mismatch'],
    ['no type at all', declared, { size: 5, etag: hex }, 'content_type_mismatch'],
    [
      'another MD5',
      { ...declared, md5 },
      { size: 5, contentType: 'text/plain', etag: 'f'.repeat(32) },
      'md5_mismatch',
    ],
    [
      'a multipart ETag where an MD5 was declared',
      { ...declared, md5 },
      { size: 5, contentType: 'text/plain', etag: `${hex}-2` },
      'md5_mismatch',
    ],
    [
      'no ETag where an MD5 was declared',
      { ...declared, md5 },
      { size: 5, contentType: 'text/plain' },
      'md5_mismatch',
    ],
  ] as const)('should judge %s', (_case, declaredFile, stored, expected) => {
    expect(verifyStored(declaredFile, stored)).toBe(expected);
  });
});
