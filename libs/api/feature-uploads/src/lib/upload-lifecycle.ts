import type { UploadStatus } from '@dropgate/shared/api-contract';

/** What happens to an upload; each event moves it from some statuses to one. */
export type UploadEvent =
  | 'verified' // complete (or the reconciler) found the object as declared
  | 'rejected' // the object is not what was declared
  | 'expired' // the policy ran out and no object came
  | 'canceled' // the owner deleted it before it arrived
  | 'deleted'; // the owner or an admin deleted an available upload

/**
 * The lifecycle, as data: `pending` → `available` | `rejected` | `expired` | `canceled`, and
 * `available` → `deleted`. An event that leaves the status as it is (completing twice, deleting
 * twice) maps to the same status, which makes those calls idempotent. A status missing from this
 * table fails compilation.
 */
const TRANSITIONS: Readonly<Record<UploadStatus, Partial<Record<UploadEvent, UploadStatus>>>> = {
  pending: { verified: 'available', rejected: 'rejected', expired: 'expired', canceled: 'canceled' },
  available: { verified: 'available', deleted: 'deleted' },
  rejected: {},
  expired: {},
  canceled: { canceled: 'canceled' },
  deleted: { deleted: 'deleted' },
};

/**
 * Every status, in lifecycle order, from the table above (a `Record` over the contract's union, so
 * none can be missing): the list the API checks queries against and OpenAPI publishes.
 */
export const UPLOAD_STATUSES = Object.keys(TRANSITIONS) as readonly UploadStatus[];

/** The status after `event`, or undefined when the event is not allowed. Every status write goes through here. */
export function nextStatus(current: UploadStatus, event: UploadEvent): UploadStatus | undefined {
  return TRANSITIONS[current][event];
}
