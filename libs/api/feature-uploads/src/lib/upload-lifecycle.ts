import type { UploadStatus } from '@dropgate/shared/api-contract';

/** What happens to an upload; each event moves it from some statuses to one. */
export type UploadEvent =
  | 'verified' // complete (or the reconciler) found the staged object as declared: scan it next
  | 'promoted' // copied to its final key, scanned clean (or not scanned, or released): available
  | 'infected' // the scanner found malware; the staged object is deleted
  | 'held' // not scanned (too large, encrypted, beyond the scanner's limits); kept for an admin
  | 'rejected' // the object is not what was declared, or changed after it was checked
  | 'expired' // the policy ran out and no object came
  | 'canceled' // the owner deleted it before it arrived
  | 'deleted'; // the owner or an admin deleted a settled upload

/**
 * The lifecycle, as data: `pending` → `scanning` → `available` | `infected` | `held` |
 * `rejected`; `pending` → `available` directly when the deployment does not scan; `held` →
 * `available` when an admin releases it. An event that leaves the status as it is (deleting
 * twice) maps to the same status, which makes those calls idempotent. A status missing from this
 * table fails compilation.
 */
const TRANSITIONS: Readonly<Record<UploadStatus, Partial<Record<UploadEvent, UploadStatus>>>> = {
  pending: {
    verified: 'scanning',
    promoted: 'available',
    rejected: 'rejected',
    expired: 'expired',
    canceled: 'canceled',
  },
  scanning: {
    promoted: 'available',
    infected: 'infected',
    held: 'held',
    rejected: 'rejected',
    deleted: 'deleted',
  },
  available: { deleted: 'deleted' },
  held: { promoted: 'available', rejected: 'rejected', deleted: 'deleted' },
  infected: {},
  rejected: {},
  expired: {},
  canceled: { canceled: 'canceled' },
  deleted: { deleted: 'deleted' },
};

/** The status after `event`, or undefined when the event is not allowed. Every status write goes through here. */
export function nextStatus(current: UploadStatus, event: UploadEvent): UploadStatus | undefined {
  return TRANSITIONS[current][event];
}

/**
 * Statuses whose staged object is still needed: the upload may yet be verified, scanned or
 * released. Every other upload's staging key is swept once its policy can no longer write it.
 */
export const STAGING_NEEDED: readonly UploadStatus[] = ['pending', 'scanning', 'held'];
