import { Inject, Injectable } from '@nestjs/common';
import type {
  Principal,
  ProblemFieldError,
  SignPartsRequest,
  SignedParts,
  StoredParts,
} from '@dropgate/shared/api-contract';
import { S3Multipart, S3Objects, type ListedPart, type MultipartTarget } from '@dropgate/api/data-access-s3';
import { UploadsRepository, type Upload } from '@dropgate/api/data-access-db';
import { ProblemException } from '@dropgate/api/util-http';
import { partLength, planOf, type PartPlan } from '@dropgate/shared/util-parts';
import { findOwned, findVisible } from './upload-access';
import { stagedKey } from './object-key';
import {
  multipartGone,
  notMultipart,
  notPending,
  partsIncomplete,
  type PartShortfall,
} from './upload-errors';
import type { Settled } from './settlement/upload-settlement.service';
import { checkedOutcome } from './settlement/checked-outcome';
import { UploadPromotion } from './settlement/upload-promotion';
import { uploadsConfig, type UploadsSettings } from './uploads.config';

/**
 * Multipart uploads after their record exists: part URLs signed one batch at a time, just before
 * the parts are sent; the parts storage holds; completion from storage's own list, never the
 * client's; abort. Only the owner signs and completes; admins may read and delete.
 */
@Injectable()
export class MultipartUploadsService {
  constructor(
    private readonly multipart: S3Multipart,
    private readonly objects: S3Objects,
    private readonly uploads: UploadsRepository,
    private readonly promotion: UploadPromotion,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {}

  /** Presigned UploadPart URLs, each bound to its part's exact length and declared MD5. */
  async signParts(id: string, request: SignPartsRequest, principal: Principal): Promise<SignedParts> {
    const upload = await findOwned(this.uploads, id, principal);
    const { target, plan } = sendable(upload);
    checkPartNumbers(request, plan);
    // SigV4 dates have whole seconds: this is when the URLs lapse, or a second before.
    const signedAt = Math.floor(Date.now() / 1000) * 1000;
    const untilUploadExpires = Math.floor((upload.expires_at.getTime() - signedAt) / 1000);
    const expiresInSeconds = Math.max(1, Math.min(this.settings.partUrlExpiresInSeconds, untilUploadExpires));
    const parts = await Promise.all(
      request.parts.map(async ({ partNumber, md5 }) => ({
        partNumber,
        url: await this.multipart.signPart({
          ...target,
          partNumber,
          contentLength: partLength(upload.size, plan, partNumber),
          md5,
          expiresInSeconds,
        }),
        headers: { 'content-md5': md5 },
      })),
    );
    return { parts, expiresAt: new Date(signedAt + expiresInSeconds * 1000).toISOString() };
  }

  /** The parts storage holds so far: what a resumed upload need not send again. */
  async listParts(id: string, principal: Principal): Promise<StoredParts> {
    const { target } = sendable(await findVisible(this.uploads, id, principal), { allowExpired: true });
    const parts = await this.multipart.listParts(target);
    if (!parts) throw multipartGone();
    return { parts };
  }

  /**
   * Joins the parts storage holds, once every planned part is there with its planned size, then
   * checks the object: scanning (or available), or `rejected` with the object deleted. A join another request
   * already made is not an error: the object is checked all the same.
   */
  async join(upload: Upload): Promise<Settled> {
    const { target, plan } = sendable(upload, { allowExpired: true });
    const listed = await this.multipart.listParts(target);
    let partEtags: string[] | undefined;
    if (listed) {
      const parts = planned(listed, plan, upload.size);
      await this.multipart.complete(target, parts);
      partEtags = parts.map((part) => part.etag);
    }
    const stored = await this.objects.head(target.key);
    if (!stored) throw multipartGone();
    return checkedOutcome(this.objects, this.promotion, upload, stored, {
      size: upload.size,
      contentType: upload.content_type,
      md5: null,
      partEtags,
    });
  }

  /** Frees the parts of an upload that will not be completed. */
  async abort(upload: Upload): Promise<void> {
    if (upload.s3_upload_id)
      await this.multipart.abort({ key: stagedKey(upload), uploadId: upload.s3_upload_id });
  }
}

/** The S3 upload and its plan, when the record is a pending multipart upload still in time. */
function sendable(
  upload: Upload,
  { allowExpired = false } = {},
): { target: MultipartTarget; plan: PartPlan } {
  if (upload.method !== 'multipart' || !upload.s3_upload_id || upload.part_size === null)
    throw notMultipart();
  if (upload.status !== 'pending') throw notPending(upload.status);
  if (!allowExpired && upload.expires_at.getTime() <= Date.now())
    throw notPending(upload.status, upload.expires_at);
  return {
    target: { key: stagedKey(upload), uploadId: upload.s3_upload_id },
    plan: planOf(upload.size, upload.part_size),
  };
}

/** 400 for part numbers outside `1..partCount` (S3 itself takes up to 10,000), or listed twice. */
function checkPartNumbers(request: SignPartsRequest, plan: PartPlan): void {
  const errors: ProblemFieldError[] = [];
  const seen = new Set<number>();
  request.parts.forEach(({ partNumber }, i) => {
    const field = `parts.${i}.partNumber`;
    if (partNumber < 1 || partNumber > plan.partCount) {
      errors.push({
        field,
        code: 'partNumber.invalid',
        message: `partNumber must be from 1 to ${plan.partCount}, this upload's partCount`,
      });
    } else if (seen.has(partNumber)) {
      errors.push({ field, code: 'parts.invalid', message: `part ${partNumber} is listed more than once` });
    }
    seen.add(partNumber);
  });
  if (errors.length > 0) throw ProblemException.validation(errors);
}

/** Parts 1 to partCount as storage lists them, each of its planned size; otherwise 409. */
function planned(listed: ListedPart[], plan: PartPlan, size: number): ListedPart[] {
  const byNumber = new Map(listed.map((part) => [part.partNumber, part]));
  const shortfall: PartShortfall = { missing: [], wrongSize: [] };
  const parts: ListedPart[] = [];
  for (let partNumber = 1; partNumber <= plan.partCount; partNumber += 1) {
    const part = byNumber.get(partNumber);
    const expected = partLength(size, plan, partNumber);
    if (!part) shortfall.missing.push(partNumber);
    else if (part.size !== expected) shortfall.wrongSize.push({ partNumber, size: part.size, expected });
    else parts.push(part);
  }
  if (shortfall.missing.length > 0 || shortfall.wrongSize.length > 0) throw partsIncomplete(shortfall);
  return parts;
}
