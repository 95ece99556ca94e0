import { contentTypeOf, rejectionReason } from './file-checks';

const config = {
  maxFileSize: 100 * 1024 * 1024,
  multipartThreshold: 64 * 1024 * 1024,
  allowedTypes: ['image/*', 'application/pdf', 'text/csv'],
  expiresInSeconds: 300,
};
const file = (name: string, type: string, size: number) => ({ name, type, size });

describe('rejectionReason', () => {
  it.each([
    ['a PDF within the limit', file('a.pdf', 'application/pdf', 1000), undefined],
    ['an image of any subtype', file('a.webp', 'image/webp', 1000), undefined],
    ['a file exactly at the limit', file('a.pdf', 'application/pdf', config.maxFileSize), undefined],
    ['a CSV the browser left untyped', file('data.csv', '', 10), undefined],
    [
      'a file over the limit',
      file('big.pdf', 'application/pdf', 120 * 1024 * 1024),
      'too large: 120 MB, limit 100 MB',
    ],
    ['an executable', file('setup.exe', 'application/x-msdownload', 10), 'type not allowed: .exe'],
    [
      'an untyped file without extension',
      file('README', '', 10),
      'type not allowed: application/octet-stream',
    ],
    ['an empty file', file('empty.pdf', 'application/pdf', 0), 'empty file: nothing to upload'],
  ])('%s → %p', (_case, candidate, expected) => {
    expect(rejectionReason(candidate, config)).toBe(expected);
  });

  it('should declare the type the browser gave, or a guess from the extension', () => {
    expect(contentTypeOf(file('a.PDF', 'application/pdf', 1))).toBe('application/pdf');
    expect(contentTypeOf(file('data.CSV', '', 1))).toBe('text/csv');
    expect(contentTypeOf(file('blob', '', 1))).toBe('application/octet-stream');
  });

  it.each(['a.constructor', 'a.__proto__', 'a.toString', 'a.hasOwnProperty'])(
    'should declare %s, untyped by the browser, as bytes, not as an inherited member',
    (name) => {
      expect(contentTypeOf(file(name, '', 1))).toBe('application/octet-stream');
    },
  );
});
