import { principalSegment } from './principal-segment';

describe('principalSegment', () => {
  it.each(['alice', '../../x', 'a/b', '..', '%2F', 'ünïcødé', ' ', 'x'.repeat(10_000)])(
    'should give a 26-character a-z2-7 segment for subject %j',
    (subject) => {
      expect(principalSegment('http://idp.example', subject)).toMatch(/^[a-z2-7]{26}$/);
    },
  );

  it('should tell subjects and issuers apart, and give the same segment every time', () => {
    const a = principalSegment('https://a.example', 'alice');
    expect(principalSegment('https://a.example', 'alice')).toBe(a);
    expect(principalSegment('https://b.example', 'alice')).not.toBe(a);
    expect(principalSegment('https://a.example', 'alice2')).not.toBe(a);
    // Issuer and subject are separated, so that moving a character between them changes the segment.
    expect(principalSegment('https://a.example/a', 'lice')).not.toBe(a);
  });

  it('should match base32 of SHA-256 computed another way', () => {
    // RFC 4648 base32 of sha256("iss\nsub"), lower-cased, first 26 characters.
    const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const digest = createHash('sha256').update('iss\nsub').digest();
    const bits = [...digest].map((b) => b.toString(2).padStart(8, '0')).join('');
    const expected = Array.from(
      { length: 26 },
      (_, i) => 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(bits.slice(i * 5, i * 5 + 5), 2)],
    ).join('');
    expect(principalSegment('iss', 'sub')).toBe(expected);
  });
});
