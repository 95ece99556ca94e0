import { Counter } from 'prom-client';
import { metricsRegistry } from './registry';

/** Which limit refused: the per-principal one, or the per-address one before authentication. */
export type RateLimitKind = 'principal' | 'address';

const refusals = new Counter({
  name: 'dropgate_rate_limit_refusals_total',
  help: 'Requests refused with 429, by the limit that refused them (principal, address).',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

for (const limit of ['principal', 'address'] as const) refusals.inc({ limit }, 0);

/** Counts one request refused by the `limit` rate limit. */
export function countRateLimitRefusal(limit: RateLimitKind): void {
  refusals.inc({ limit });
}
