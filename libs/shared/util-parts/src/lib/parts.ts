/** S3's limits for a multipart upload. */
export const S3_MAX_PARTS = 10_000;
export const S3_MAX_PART_BYTES = 5 * 1024 ** 3;
export const S3_MAX_OBJECT_BYTES = 5 * 1024 ** 4;
const MiB = 1024 ** 2;

/** Dropgate's smallest part: above S3's 5 MiB minimum, and small enough to resume often. */
export const MIN_PART_BYTES = 8 * MiB;

export interface PartPlan {
  /** Every part but the last has exactly this many bytes. */
  partSize: number;
  partCount: number;
}

/**
 * How a file of `size` bytes is cut: parts of `preferred` bytes (at least 8 MiB), grown in whole
 * MiB when that would need more than 10,000 parts. Throws RangeError for a size S3 cannot hold in
 * one object, or a part size it cannot take.
 */
export function planParts(size: number, preferred = MIN_PART_BYTES): PartPlan {
  if (!Number.isSafeInteger(size) || size < 1 || size > S3_MAX_OBJECT_BYTES) {
    throw new RangeError(`size must be a whole number of bytes from 1 to ${S3_MAX_OBJECT_BYTES} (5 TiB)`);
  }
  if (!Number.isSafeInteger(preferred) || preferred < MIN_PART_BYTES || preferred > S3_MAX_PART_BYTES) {
    throw new RangeError(`part size must be from ${MIN_PART_BYTES} (8 MiB) to ${S3_MAX_PART_BYTES} (5 GiB)`);
  }
  const needed = Math.ceil(Math.ceil(size / S3_MAX_PARTS) / MiB) * MiB;
  const partSize = Math.min(S3_MAX_PART_BYTES, Math.max(preferred, needed));
  return { partSize, partCount: Math.ceil(size / partSize) };
}

/** The plan of a file already cut into parts of `partSize` bytes (as recorded by the API). */
export function planOf(size: number, partSize: number): PartPlan {
  return { partSize, partCount: Math.ceil(size / partSize) };
}

/** The bytes of part `partNumber` (1-based): `partSize`, except the last, which has the rest. */
export function partLength(size: number, plan: PartPlan, partNumber: number): number {
  const { start, end } = partRange(size, plan, partNumber);
  return end - start;
}

/** Whether a part storage lists is one of the plan's, with exactly its planned bytes. */
export function isPlannedPart(
  size: number,
  plan: PartPlan,
  part: { partNumber: number; size: number },
): boolean {
  const { partNumber } = part;
  return (
    Number.isInteger(partNumber) &&
    partNumber >= 1 &&
    partNumber <= plan.partCount &&
    part.size === partLength(size, plan, partNumber)
  );
}

/** Where part `partNumber` (1-based) lies in the file: `[start, end)`, for `file.slice(start, end)`. */
export function partRange(size: number, plan: PartPlan, partNumber: number): { start: number; end: number } {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`part number must be from 1 to ${plan.partCount}`);
  }
  const start = (partNumber - 1) * plan.partSize;
  return { start, end: Math.min(size, start + plan.partSize) };
}

/** S3's largest single POST (and PUT): anything bigger must go in parts. */
export const S3_MAX_POST_BYTES = 5 * 1024 ** 3;

/** Files above this many bytes go multipart unless the API is configured otherwise. */
export const DEFAULT_MULTIPART_THRESHOLD = 64 * MiB;

/**
 * Whether a file of `size` bytes is sent in parts: above `threshold`, and always above what one
 * POST can carry. The API decides with it; the web app shows the same answer before asking.
 */
export function usesMultipart(size: number, threshold: number): boolean {
  return size > Math.min(threshold, S3_MAX_POST_BYTES);
}
