import { createHash } from 'node:crypto';
import type { StoredObject } from '@dropgate/api/data-access-s3';
import type { RejectionReason } from '@dropgate/shared/api-contract';

export interface Declared {
  size: number;
  contentType: string;
  /** Base64, as in Content-MD5. */
  md5: string | null;
  /** Multipart: the hex MD5s of the parts that were joined, in order (from ListParts). */
  partEtags?: readonly string[];
}

/** The ETag S3 gives an object joined from parts: the MD5 of the parts' binary MD5s, `-`, the count. */
export function multipartEtag(partEtags: readonly string[]): string {
  const digests = Buffer.concat(partEtags.map((etag) => Buffer.from(etag, 'hex')));
  return `${createHash('md5').update(digests).digest('hex')}-${partEtags.length}`;
}

/**
 * Whether the stored object is what was declared: its size, its Content-Type, and, when an MD5
 * was declared, the ETag of a single-part object (its hex MD5). Undefined when it is; otherwise
 * the first thing that differs. S3 already enforced size and type through the policy; this also
 * catches an object replaced behind the API's back, and gateways that ignore Content-MD5 on POST.
 * For a multipart object, its ETag must be the one its listed parts make: the parts storage
 * checked against their signed MD5s are the ones that were joined.
 */
export function verifyStored(declared: Declared, stored: StoredObject): RejectionReason | undefined {
  if (stored.size !== declared.size) return 'size_mismatch';
  if ((stored.contentType ?? '') !== declared.contentType) return 'content_type_mismatch';
  if (declared.md5 !== null) {
    const hex = Buffer.from(declared.md5, 'base64').toString('hex');
    if (stored.etag === undefined || stored.etag.includes('-') || stored.etag.toLowerCase() !== hex) {
      return 'md5_mismatch';
    }
  }
  if (declared.partEtags && stored.etag?.toLowerCase() !== multipartEtag(declared.partEtags)) {
    return 'md5_mismatch';
  }
  return undefined;
}
