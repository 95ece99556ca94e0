import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from './registry';

/**
 * What one clamd scan came to: a verdict (`clean`, `infected`, `held`), no verdict because clamd
 * could not be reached or answered nonsense (`unavailable`), or any other failure, such as the
 * staged object failing to be read or to stream (`error`). A staged object found changed or gone
 * was not scanned, and is not counted.
 */
export const SCAN_RESULTS = ['clean', 'infected', 'held', 'unavailable', 'error'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

const scanDuration = new Histogram({
  name: 'dropgate_scan_duration_seconds',
  help: 'Time one clamd scan took, from the first read of the staged object to its verdict or failure: the file sent, its wait for a turn to be scanned, and the scan.',
  labelNames: ['result'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [metricsRegistry],
});

const scans = new Counter({
  name: 'dropgate_scans_total',
  help: 'clamd scans, by result (clean, infected, held, unavailable, error).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

for (const result of SCAN_RESULTS) scans.inc({ result }, 0);

/** Records one scan: its result and how long it took. */
export function observeScan(result: ScanResult, seconds: number): void {
  scans.inc({ result });
  scanDuration.observe({ result }, seconds);
}
