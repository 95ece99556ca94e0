import type { RejectionReason } from '@dropgate/shared/api-contract';

/** Why the API rejected a stored file, in words a person reads; a new reason fails compilation here. */
const REJECTION_TEXT: Readonly<Record<RejectionReason, string>> = {
  size_mismatch: 'Its size did not match the size declared',
  content_type_mismatch: 'Its contents are not of the type declared',
  md5_mismatch: 'Its bytes did not match the declared MD5',
};

/** The words for a rejection reason; a reason this page does not know yet still reads as a sentence. */
export function rejectionText(reason: string | undefined): string {
  return reason !== undefined && Object.hasOwn(REJECTION_TEXT, reason)
    ? REJECTION_TEXT[reason as RejectionReason]
    : 'It did not match what was declared';
}
