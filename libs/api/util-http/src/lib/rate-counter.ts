export interface Hit {
  /** Over the limit: refuse the request. */
  blocked: boolean;
  /** Seconds until the window ends and the count starts again. */
  retryAfterSeconds: number;
}

/**
 * Counts per client for a rate limit: in memory for one instance (FixedWindowCounter), or in
 * Redis (RedisRateCounter, data-access-redis) so that instances behind one load balancer count together.
 */
export interface RateCounter {
  /** Counts one more for `key`; a refusal never moves the end of its window. */
  hit(key: string): Hit | Promise<Hit>;
  /** Whether `key` is over the limit, without counting anything. */
  peek(key: string): Hit | Promise<Hit>;
}
