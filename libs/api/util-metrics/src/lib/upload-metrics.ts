import { Counter } from 'prom-client';
import { STATUS_EVENTS, type UploadMethod, type UploadStatus } from '@dropgate/shared/api-contract';
import { metricsRegistry } from './registry';

const METHODS: readonly UploadMethod[] = ['post', 'multipart'];

/**
 * The statuses an upload settles into: those subscribers are told about. `pending` and
 * `scanning` are steps on the way, not outcomes. Derived from the contract, so a new status is
 * counted (or not) as its event says.
 */
export const SETTLED_OUTCOMES = (Object.keys(STATUS_EVENTS) as UploadStatus[]).filter(
  (status) => STATUS_EVENTS[status] !== null,
);

const created = new Counter({
  name: 'dropgate_uploads_created_total',
  help: 'Uploads created, by method (post, multipart).',
  labelNames: ['method'] as const,
  registers: [metricsRegistry],
});

const settled = new Counter({
  name: 'dropgate_uploads_settled_total',
  help: 'Status changes written into an outcome (available, infected, held, rejected, expired, canceled, deleted), by method.',
  labelNames: ['method', 'outcome'] as const,
  registers: [metricsRegistry],
});

// Every series exists from the start at 0, so that rate() and ratios see the first increment.
for (const method of METHODS) {
  created.inc({ method }, 0);
  for (const outcome of SETTLED_OUTCOMES) settled.inc({ method, outcome }, 0);
}

/** Counts an upload created by `method`; call it once the record is written. */
export function countUploadCreated(method: UploadMethod): void {
  created.inc({ method });
}

/**
 * Counts an upload that settled into `outcome`; call it once the status change is written (not
 * for a settler that lost the race). A status that is no outcome (`scanning`) is not counted.
 */
export function countUploadSettled(method: UploadMethod, outcome: UploadStatus): void {
  if (STATUS_EVENTS[outcome] === null) return;
  settled.inc({ method, outcome });
}
