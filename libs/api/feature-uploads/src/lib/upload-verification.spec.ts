import { createHash } from 'node:crypto';
import { multipartEtag, verifyStored } from './upload-verification';

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

describe('multipartEtag', () => {
  const part = (text: string) => createHash('md5').update(text).digest('hex');

  it('should be the MD5 of the binary part MD5s, then the count, as S3 computes it', () => {
    const parts = [part('one'), part('two')];
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(p, 'hex'))))
      .digest('hex');
    expect(multipartEtag(parts)).toBe(`${expected}-2`);
  });

  it('should make verifyStored refuse an object joined from other parts', () => {
    const declared = { size: 6, contentType: 'text/plain', md5: null, partEtags: [part('one'), part('two')] };
    const stored = { size: 6, contentType: 'text/plain' };
    expect(verifyStored(declared, { ...stored, etag: multipartEtag(declared.partEtags) })).toBeUndefined();
    expect(verifyStored(declared, { ...stored, etag: multipartEtag([part('one'), part('six')]) })).toBe(
      'md5_mismatch',
    );
  });
});
