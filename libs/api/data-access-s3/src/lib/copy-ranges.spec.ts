import { S3_MAX_PARTS, S3_MAX_PART_BYTES } from '@dropgate/shared/util-parts';
import { copyRanges } from './copy-ranges';

const MiB = 1024 ** 2;

describe('copyRanges', () => {
  it('should cut parts of the preferred size, the last taking the rest', () => {
    expect(copyRanges(20 * MiB, 8 * MiB)).toEqual([
      { partNumber: 1, start: 0, end: 8 * MiB },
      { partNumber: 2, start: 8 * MiB, end: 16 * MiB },
      { partNumber: 3, start: 16 * MiB, end: 20 * MiB },
    ]);
  });

  it.each([
    ['just above 5 GiB', 5 * 1024 ** 3 + 1],
    ['5 TiB, which needs parts above the preferred size', 5 * 1024 ** 4],
    ['an odd size', 7 * 1024 ** 3 + 12_345],
  ])('should cover %s exactly, within S3 part limits', (_case, size) => {
    const sut = copyRanges(size, 512 * MiB);

    expect(sut.length).toBeLessThanOrEqual(S3_MAX_PARTS);
    sut.forEach((range, index) => {
      expect(range.partNumber).toBe(index + 1);
      expect(range.start).toBe(index === 0 ? 0 : sut[index - 1].end);
      expect(range.end - range.start).toBeLessThanOrEqual(S3_MAX_PART_BYTES);
      if (index < sut.length - 1) expect(range.end - range.start).toBeGreaterThanOrEqual(5 * MiB);
    });
    expect(sut.at(-1)?.end).toBe(size);
  });
});
