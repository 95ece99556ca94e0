export interface Hit {
  /** Over the limit: refuse the request. */
  blocked: boolean;
  /** Seconds until the window ends and the count starts again. */
  retryAfterSeconds: number;
}

/**
 * Counts per client for a rate limit. In memory for one instance (FixedWindowCounter); a shared
 * store can stand in for it so that instances behind one load balancer count together.
 */
export interface RateCounter {
  /** Counts one more for `key`, unless it is over the limit already (a refusal is not counted). */
  hit(key: string): Hit | Promise<Hit>;
  /** Whether `key` is over the limit, without counting anything. */
  peek(key: string): Hit | Promise<Hit>;
}
