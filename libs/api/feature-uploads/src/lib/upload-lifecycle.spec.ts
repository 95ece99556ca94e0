import type { UploadStatus } from '@dropgate/shared/api-contract';
import { UPLOAD_STATUSES, nextStatus, type UploadEvent } from './upload-lifecycle';

const STATUSES: UploadStatus[] = ['pending', 'available', 'rejected', 'expired', 'canceled', 'deleted'];
const EVENTS: UploadEvent[] = ['verified', 'rejected', 'expired', 'canceled', 'deleted'];

// Every status against every event: `-` is "not allowed".
const TABLE: Record<UploadStatus, Record<UploadEvent, UploadStatus | '-'>> = {
  pending: {
    verified: 'available',
    rejected: 'rejected',
    expired: 'expired',
    canceled: 'canceled',
    deleted: '-',
  },
  available: { verified: 'available', rejected: '-', expired: '-', canceled: '-', deleted: 'deleted' },
  rejected: { verified: '-', rejected: '-', expired: '-', canceled: '-', deleted: '-' },
  expired: { verified: '-', rejected: '-', expired: '-', canceled: '-', deleted: '-' },
  canceled: { verified: '-', rejected: '-', expired: '-', canceled: 'canceled', deleted: '-' },
  deleted: { verified: '-', rejected: '-', expired: '-', canceled: '-', deleted: 'deleted' },
};

describe('nextStatus', () => {
  it.each(
    STATUSES.flatMap((status) => EVENTS.map((event) => [status, event, TABLE[status][event]] as const)),
  )('%s + %s → %s', (status, event, expected) => {
    expect(nextStatus(status, event) ?? '-').toBe(expected);
  });

  it('should never leave rejected or expired, which are final', () => {
    for (const event of EVENTS) {
      expect(nextStatus('rejected', event)).toBeUndefined();
      expect(nextStatus('expired', event)).toBeUndefined();
    }
  });
});

describe('UPLOAD_STATUSES', () => {
  it('should list every status of the lifecycle once, in its order', () => {
    expect(UPLOAD_STATUSES).toEqual(['pending', 'available', 'rejected', 'expired', 'canceled', 'deleted']);
  });
});
