import {
  DEFAULT_MULTIPART_THRESHOLD,
  MIN_PART_BYTES,
  S3_MAX_POST_BYTES,
  S3_MAX_OBJECT_BYTES,
  S3_MAX_PARTS,
  S3_MAX_PART_BYTES,
  partLength,
  partRange,
  isPlannedPart,
  planOf,
  planParts,
  usesMultipart,
} from './parts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('planParts', () => {
  it.each([
    ['one byte', 1, MIN_PART_BYTES, 1],
    ['exactly one part', 8 * MiB, 8 * MiB, 1],
    ['one byte over a part', 8 * MiB + 1, 8 * MiB, 2],
    ['48 MiB', 48 * MiB, 8 * MiB, 6],
    ['1 GiB', GiB, 8 * MiB, 128],
    ['the most 8 MiB parts can hold', 10_000 * 8 * MiB, 8 * MiB, 10_000],
    ['one byte more than that: parts grow by a MiB', 10_000 * 8 * MiB + 1, 9 * MiB, 8_889],
    ['5 TiB', S3_MAX_OBJECT_BYTES, 525 * MiB, 9_987],
  ])('should cut %s into parts of the size expected', (_case, size, partSize, partCount) => {
    expect(planParts(size)).toEqual({ partSize, partCount });
  });

  it('should keep within S3 for sizes across the whole range', () => {
    for (let size = 1; size <= S3_MAX_OBJECT_BYTES; size = Math.ceil(size * 1.37) + 12_345) {
      const plan = planParts(size);
      expect(plan.partCount).toBeLessThanOrEqual(S3_MAX_PARTS);
      expect(plan.partSize).toBeGreaterThanOrEqual(MIN_PART_BYTES);
      expect(plan.partSize).toBeLessThanOrEqual(S3_MAX_PART_BYTES);
      expect((plan.partCount - 1) * plan.partSize).toBeLessThan(size);
      expect(plan.partCount * plan.partSize).toBeGreaterThanOrEqual(size);
    }
  });

  it('should take a larger preferred part size', () => {
    expect(planParts(100 * MiB, 32 * MiB)).toEqual({ partSize: 32 * MiB, partCount: 4 });
  });

  it.each([
    ['zero bytes', 0, MIN_PART_BYTES],
    ['more than 5 TiB', S3_MAX_OBJECT_BYTES + 1, MIN_PART_BYTES],
    ['a fraction', 1.5, MIN_PART_BYTES],
    ['parts under 8 MiB', 100, 5 * MiB],
    ['parts over 5 GiB', 100, S3_MAX_PART_BYTES + 1],
  ])('should refuse %s', (_case, size, preferred) => {
    expect(() => planParts(size, preferred)).toThrow(RangeError);
  });
});

describe('partRange and partLength', () => {
  const size = 20 * MiB + 7;
  const plan = planParts(size);

  it('should cover the file exactly once, in order, the last part holding the rest', () => {
    const ranges = Array.from({ length: plan.partCount }, (_, i) => partRange(size, plan, i + 1));
    expect(ranges).toEqual([
      { start: 0, end: 8 * MiB },
      { start: 8 * MiB, end: 16 * MiB },
      { start: 16 * MiB, end: size },
    ]);
    expect(ranges.reduce((sum, r) => sum + (r.end - r.start), 0)).toBe(size);
    expect(partLength(size, plan, 3)).toBe(4 * MiB + 7);
  });

  it('should leave a last part of one byte when the size is one over whole parts', () => {
    const size = 8 * MiB + 1;
    expect(partLength(size, planParts(size), 1)).toBe(8 * MiB);
    expect(partLength(size, planParts(size), 2)).toBe(1);
  });

  it('should give the 10,000th part of the largest 8 MiB plan its full 8 MiB', () => {
    const size = 10_000 * 8 * MiB;
    expect(partRange(size, planParts(size), 10_000)).toEqual({ start: size - 8 * MiB, end: size });
  });

  it.each([0, 4, 10_001, 1.5, -1])('should refuse part number %p', (partNumber) => {
    expect(() => partLength(size, plan, partNumber)).toThrow(RangeError);
  });
});

describe('usesMultipart', () => {
  const threshold = DEFAULT_MULTIPART_THRESHOLD;
  it.each([
    ['one byte under the threshold', threshold - 1, threshold, false],
    ['exactly the threshold', threshold, threshold, false],
    ['one byte over the threshold', threshold + 1, threshold, true],
    ['anything, with a threshold of 0', 1, 0, true],
    ['5 GiB with a higher threshold: still one POST', S3_MAX_POST_BYTES, 6 * GiB, false],
    ['a byte over 5 GiB with a higher threshold: too big for one POST', S3_MAX_POST_BYTES + 1, 6 * GiB, true],
  ])('should decide %s', (_case, size, limit, expected) => {
    expect(usesMultipart(size, limit)).toBe(expected);
  });
});

describe('planOf', () => {
  it('should give back the plan that planParts made, from the size and part size alone', () => {
    for (const size of [1, 8 * MiB, 8 * MiB + 1, GiB + 7, 10_000 * 8 * MiB + 1, S3_MAX_OBJECT_BYTES]) {
      const plan = planParts(size);
      expect(planOf(size, plan.partSize)).toEqual(plan);
    }
  });
});

describe('isPlannedPart', () => {
  const size = 20 * MiB + 7;
  const plan = planParts(size);
  it.each([
    ['a whole middle part', { partNumber: 2, size: 8 * MiB }, true],
    ['the last part with the rest', { partNumber: 3, size: 4 * MiB + 7 }, true],
    ['a part a byte short', { partNumber: 1, size: 8 * MiB - 1 }, false],
    ['a last part of a full part size', { partNumber: 3, size: 8 * MiB }, false],
    ['a part past the plan', { partNumber: 4, size: 8 * MiB }, false],
    ['part 0', { partNumber: 0, size: 8 * MiB }, false],
  ])('should judge %s', (_case, part, expected) => {
    expect(isPlannedPart(size, plan, part)).toBe(expected);
  });
});
