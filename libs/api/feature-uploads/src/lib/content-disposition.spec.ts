import { attachmentDisposition } from './content-disposition';

describe('attachmentDisposition', () => {
  it.each([
    [
      'an ASCII name',
      'q3 report.pdf',
      `attachment; filename="q3 report.pdf"; filename*=UTF-8''q3%20report.pdf`,
    ],
    [
      'accents and an emoji',
      'Résumé 😀.pdf',
      `attachment; filename="R_sum_ __.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%F0%9F%98%80.pdf`,
    ],
    [
      'quotes, a backslash, a percent and an apostrophe',
      `a"b\\c%d'e.txt`,
      `attachment; filename="a_b_c_d'e.txt"; filename*=UTF-8''a%22b%5Cc%25d%27e.txt`,
    ],
    [
      'a name in Japanese',
      '報告書.pdf',
      `attachment; filename="___.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf`,
    ],
  ])('should encode %s', (_case, name, expected) => {
    expect(attachmentDisposition(name)).toBe(expected);
  });

  it('should give back the name through decodeURIComponent of filename*', () => {
    const name = 'Ünïcødé (draft) *final*.txt';
    const encoded = /filename\*=UTF-8''(.+)$/.exec(attachmentDisposition(name))?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe(name);
  });
});
