import { MAX_NAME_BYTES, extensionOf, sanitiseFileName } from './file-name';

describe('sanitiseFileName', () => {
  it.each([
    ['keeps an ordinary name', 'q3 report.pdf', 'q3 report.pdf'],
    ['strips a Unix path', '../../etc/passwd', 'passwd'],
    ['strips a Windows path', 'C:\\Users\\me\\Desktop\\photo.JPG', 'photo.JPG'],
    ['strips leading dots', '...hidden.txt', 'hidden.txt'],
    ['strips trailing dots and spaces', 'notes.txt. . ', 'notes.txt'],
    ['removes NUL and control characters', 'a\u0000b\u0007c\n.txt', 'abc.txt'],
    ['removes a right-to-left override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['removes zero-width characters', 'pa\u200Bss\uFEFF.txt', 'pass.txt'],
    ['replaces characters unsafe in file names', 'a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['folds runs of white space', 'a \t  b.txt', 'a b.txt'],
    ['normalises Unicode to NFKC (composed é)', 'cafe\u0301.txt', 'café.txt'],
    ['normalises full-width letters', 'ｒｅｐｏｒｔ.pdf', 'report.pdf'],
    ['full-width slashes become path separators', 'a／..／b.txt', 'b.txt'],
    ['prefixes a Windows device name', 'CON', '_CON'],
    ['prefixes a device name with an extension', 'nul.txt', '_nul.txt'],
    ['leaves a name that only starts like a device', 'console.log', 'console.log'],
    ['returns empty for only dots', '...', ''],
    ['returns empty for only a path', '../../', ''],
    ['returns empty for only invisible characters', '\u202E\u0000', ''],
    ['keeps a dotfile name without its dot', '.env', 'env'],
  ])('%s', (_case, input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('should bound a 10,000-character name and keep its extension', () => {
    const sut = sanitiseFileName(`${'a'.repeat(10_000)}.pdf`);
    expect(sut.endsWith('.pdf')).toBe(true);
    expect(new TextEncoder().encode(sut).length).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(sut).toBe(`${'a'.repeat(MAX_NAME_BYTES - 4)}.pdf`);
  });

  it('should never split a multi-byte character when bounding', () => {
    const sut = sanitiseFileName(`${'😀'.repeat(100)}.txt`);
    expect(sut).toBe(`${'😀'.repeat(36)}.txt`);
    expect(sut).not.toContain('\uFFFD');
  });

  it('should not treat a long or spaced suffix as an extension', () => {
    expect(extensionOf('archive.tar.gz')).toBe('gz');
    expect(extensionOf('version 1. final')).toBe('');
    expect(extensionOf('noextension')).toBe('');
  });
});
