import { Histogram } from 'prom-client';
import { metricsRegistry } from './registry';

/** The route label of a request that matched no route: one series, whatever URL was asked for. */
export const UNMATCHED_ROUTE = 'unmatched';

const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from receiving a request to sending its response, by route template and status.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/**
 * Records one answered request. `route` must be the route's template (`/api/uploads/:id`), never
 * the URL: a label per id would grow without bound; undefined counts as {@link UNMATCHED_ROUTE}.
 */
export function observeHttpRequest(
  method: string,
  route: string | undefined,
  statusCode: number,
  seconds: number,
): void {
  httpRequestDuration.observe(
    { method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) },
    seconds,
  );
}
