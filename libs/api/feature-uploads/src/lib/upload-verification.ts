import type { StoredObject } from '@dropgate/api/data-access-s3';
import type { RejectionReason } from '@dropgate/shared/api-contract';

export interface Declared {
  size: number;
  contentType: string;
  /** Base64, as in Content-MD5. */
  md5: string | null;
}

/**
 * Whether the stored object is what was declared: its size, its Content-Type, and, when an MD5
 * was declared, the ETag of a single-part object (its hex MD5). Undefined when it is; otherwise
 * the first thing that differs. S3 already enforced size and type through the policy; this also
 * catches an object replaced behind the API's back, and gateways that ignore Content-MD5 on POST.
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
  return undefined;
}
