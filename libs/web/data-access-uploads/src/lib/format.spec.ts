import { formatBytes, percentOf } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1536, '1.5 KB'],
    [125_829_120, '120 MB'],
  ])('should write %i bytes as %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('percentOf', () => {
  it.each([
    [0, 0, 0],
    [1, 3, 33],
    [88, 110, 80],
    [99_999, 100_000, 99],
    [110, 110, 100],
  ])('should make %i of %i %i%%, rounded down', (part, whole, expected) => {
    expect(percentOf(part, whole)).toBe(expected);
  });
});
