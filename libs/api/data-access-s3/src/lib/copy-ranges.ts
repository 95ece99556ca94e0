import { partRange, planParts } from '@dropgate/shared/util-parts';

/** One UploadPartCopy: part `partNumber` is the source's bytes `[start, end)`. */
export interface CopyRange {
  partNumber: number;
  start: number;
  end: number;
}

/**
 * The parts an object of `size` bytes is copied in: about `preferredPartBytes` each, grown so
 * that no more than 10,000 are needed. The plan is the one uploads are cut by, so S3's limits
 * (5 GiB at most per part, the smallest part above 5 MiB but the last) hold for copies too.
 */
export function copyRanges(size: number, preferredPartBytes: number): CopyRange[] {
  const plan = planParts(size, preferredPartBytes);
  return Array.from({ length: plan.partCount }, (_, index) => ({
    partNumber: index + 1,
    ...partRange(size, plan, index + 1),
  }));
}
