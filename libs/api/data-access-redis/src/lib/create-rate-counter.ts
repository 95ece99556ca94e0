import { FixedWindowCounter } from '@dropgate/api/util-http';
import type { RateCounter } from '@dropgate/api/util-http';
import { RedisRateCounter, type SharedLimit } from './redis-rate-counter';
import type { RedisRateStore } from './redis-rate-store';

/**
 * The counter for one limit: shared through Redis when the API has a store (REDIS_URL), else in
 * this process's memory, which is right for a single instance.
 */
export function createRateCounter(store: RedisRateStore | null | undefined, limit: SharedLimit): RateCounter {
  return store ? new RedisRateCounter(store, limit) : new FixedWindowCounter(limit.max, limit.windowMs);
}
