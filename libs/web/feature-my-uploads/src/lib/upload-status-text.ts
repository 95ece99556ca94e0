import type { UploadRecord, UploadStatus } from '@dropgate/shared/api-contract';
import { heldText, rejectionText } from '@dropgate/web/data-access-uploads';

/** Each status as a row shows it; a new status fails compilation here. */
export const STATUS_LABELS: Readonly<Record<UploadStatus, string>> = {
  pending: 'Pending',
  scanning: 'Scanning',
  available: 'Stored',
  held: 'Held for review',
  infected: 'Blocked',
  rejected: 'Rejected',
  expired: 'Expired',
  canceled: 'Canceled',
  deleted: 'Deleted',
};

/** Why an upload is not available, in words, for the statuses that have a why. */
export function reasonOf(item: UploadRecord): string | undefined {
  switch (item.status) {
    case 'rejected':
      return rejectionText(item.reason);
    case 'infected':
      return `Malware found: ${item.signature ?? 'unknown signature'}`;
    case 'held':
      return `Not scanned: ${heldText(item.reason)}`;
    // An upload expires with a reason when its object came, but not as declared.
    case 'expired':
      return item.reason === undefined ? undefined : rejectionText(item.reason);
    case 'pending':
    case 'scanning':
    case 'available':
    case 'canceled':
    case 'deleted':
      return undefined;
    default: {
      const unknown: never = item.status;
      throw new Error(`Unhandled upload status ${String(unknown)}`);
    }
  }
}
