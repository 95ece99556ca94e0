import { UPLOAD_STATUSES, type UploadStatus } from '@dropgate/shared/api-contract';
import { STAGING_NEEDED, nextStatus, type UploadEvent } from './upload-lifecycle';

const EVENTS: UploadEvent[] = [
  'verified',
  'promoted',
  'infected',
  'held',
  'rejected',
  'expired',
  'canceled',
  'deleted',
];

/** Every allowed move, as `from + event → to`. */
const MOVES = UPLOAD_STATUSES.flatMap((from) =>
  EVENTS.flatMap((event) => {
    const to = nextStatus(from, event);
    return to ? [{ from, event, to }] : [];
  }),
);
const reachable = (from: UploadStatus) => MOVES.filter((move) => move.from === from).map((m) => m.to);

describe('the upload lifecycle', () => {
  it.each<[UploadEvent, UploadStatus]>([
    ['verified', 'scanning'],
    ['promoted', 'available'],
    ['rejected', 'rejected'],
    ['expired', 'expired'],
    ['canceled', 'canceled'],
  ])('should take a pending upload, on %s, to %s', (event, to) => {
    expect(nextStatus('pending', event)).toBe(to);
  });

  it.each<[UploadEvent, UploadStatus]>([
    ['promoted', 'available'],
    ['infected', 'infected'],
    ['held', 'held'],
    ['rejected', 'rejected'],
    ['deleted', 'deleted'],
  ])('should take a scanning upload, on %s, to %s', (event, to) => {
    expect(nextStatus('scanning', event)).toBe(to);
  });

  it('should make an upload available only from pending (not scanned), scanning, or held (released)', () => {
    expect(MOVES.filter((m) => m.to === 'available').map((m) => `${m.from} ${m.event}`)).toEqual([
      'pending promoted',
      'scanning promoted',
      'held promoted',
    ]);
  });

  it('should never leave infected, rejected or expired, which are final', () => {
    for (const status of ['infected', 'rejected', 'expired'] as const) expect(reachable(status)).toEqual([]);
  });

  it('should let deleting and canceling again change nothing, so that they are idempotent', () => {
    expect(nextStatus('deleted', 'deleted')).toBe('deleted');
    expect(nextStatus('canceled', 'canceled')).toBe('canceled');
  });

  it('should never go back to a status that needs the staged object once it left them', () => {
    // The reconciler deletes the staged object of every upload outside STAGING_NEEDED.
    for (const { from, to } of MOVES) {
      if (!STAGING_NEEDED.includes(from)) expect(STAGING_NEEDED).not.toContain(to);
    }
  });
});
