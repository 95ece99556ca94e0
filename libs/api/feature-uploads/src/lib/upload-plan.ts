import type { UploadMethod } from '@dropgate/shared/api-contract';
import { planParts, usesMultipart, type PartPlan } from '@dropgate/shared/util-parts';

/** How a new upload travels: one POST, or parts cut by `util-parts`. */
export type UploadPlan = { method: 'post' } | ({ method: 'multipart' } & PartPlan);

/**
 * The method asked for, or by size: above the threshold (and always above 5 GiB) in parts. The
 * request has been checked (`checkUploadRequest`), so the size fits the chosen method.
 */
export function planUpload(size: number, method: UploadMethod | undefined, threshold: number): UploadPlan {
  const multipart = method === undefined ? usesMultipart(size, threshold) : method === 'multipart';
  return multipart ? { method: 'multipart', ...planParts(size) } : { method: 'post' };
}
