import type { HeldReason, RejectionReason } from '@dropgate/shared/api-contract';

/** Why the API rejected a stored file, in words a person reads; a new reason fails compilation here. */
const REJECTION_TEXT: Readonly<Record<RejectionReason, string>> = {
  size_mismatch: 'Its size did not match the size declared',
  content_type_mismatch: 'Its contents are not of the type declared',
  md5_mismatch: 'Its bytes did not match the declared MD5',
  changed_after_verification: 'The file changed after it was checked; upload it again',
};

/** Why the API holds a file unscanned, to follow "Held for review: " or "Not scanned: ". */
const HELD_TEXT: Readonly<Record<HeldReason, string>> = {
  too_large_to_scan: 'too large to scan',
  encrypted: 'encrypted file',
  limits_exceeded: "beyond the scanner's limits",
};

/** The words for a rejection reason; a reason this page does not know yet still reads as a sentence. */
export function rejectionText(reason: string | undefined): string {
  return textOf(REJECTION_TEXT, reason) ?? 'It did not match what was declared';
}

/** The words for why a file is held; a reason this page does not know yet still reads sensibly. */
export function heldText(reason: string | undefined): string {
  return textOf(HELD_TEXT, reason) ?? 'not scanned';
}

// The reason comes from the API: only the table's own keys count, never an inherited member.
function textOf<K extends string>(table: Readonly<Record<K, string>>, reason: string | undefined) {
  return reason !== undefined && Object.hasOwn(table, reason) ? table[reason as K] : undefined;
}
