import type {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Hit, RateCounter } from '@dropgate/api/util-http';
import type { RedisRateStore } from './redis-rate-store';

export interface SharedLimit {
  /** Names the limit's keys in Redis, apart from every other limit's: `dropgate:rl:<name>:<client>`. */
  name: string;
  /** Requests per client per window, across every instance. */
  max: number;
  windowMs: number;
  /** How many instances share the limit; each counts ceil(max / instances) while Redis is down. */
  instances: number;
}

const NOT_COUNTED: Hit = { blocked: false, retryAfterSeconds: 0 };

const secondsLeft = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * What a consume came to: a refusal is a rejection with the counts (a `Refusal`), anything else a
 * failure.
 */
const outcomeOf = (consumed: Promise<RateLimiterRes>, Refusal: typeof RateLimiterRes): Promise<Hit> =>
  consumed.then(
    (res) => ({ blocked: false, retryAfterSeconds: secondsLeft(res) }),
    (error: unknown) => {
      if (error instanceof Refusal) return { blocked: true, retryAfterSeconds: secondsLeft(error) };
      throw error;
    },
  );

/**
 * A rate limit counted in Redis (rate-limiter-flexible's fixed window), so that the instances
 * behind one load balancer let through `max` between them, not `max` each. While Redis does not
 * answer, each instance counts its share in memory instead (the insurance limiter).
 *
 * The library's own `insuranceLimiter` option is not used: it would hide which store answered,
 * and the store must know that to log the fallback once and to spare requests the command
 * timeout while Redis is frozen.
 */
export class RedisRateCounter implements RateCounter {
  private readonly shared: RateLimiterRedis;
  private readonly insurance: RateLimiterMemory;

  constructor(
    private readonly store: RedisRateStore,
    limit: SharedLimit,
  ) {
    const { RateLimiterRedis, RateLimiterMemory } = store.limiters;
    const keyPrefix = `dropgate:rl:${limit.name}`;
    const duration = Math.ceil(limit.windowMs / 1000);
    this.shared = new RateLimiterRedis({
      storeClient: store.client,
      keyPrefix,
      points: limit.max,
      duration,
      // Fail at once, rather than send, while the connection is down.
      rejectIfRedisNotReady: true,
    });
    this.insurance = new RateLimiterMemory({
      keyPrefix,
      points: Math.ceil(limit.max / limit.instances),
      duration,
    });
  }

  hit(key: string): Promise<Hit> {
    return this.store.run(
      () => outcomeOf(this.shared.consume(key), this.store.limiters.RateLimiterRes),
      () => outcomeOf(this.insurance.consume(key), this.store.limiters.RateLimiterRes),
    );
  }

  peek(key: string): Promise<Hit> {
    return this.store.run(
      () => peekAt(this.shared, key),
      () => peekAt(this.insurance, key),
    );
  }
}

/** `get` reads the count without consuming; refused requests count too, so over means at or past. */
async function peekAt(limiter: RateLimiterAbstract, key: string): Promise<Hit> {
  const res = await limiter.get(key);
  if (!res || res.msBeforeNext <= 0) return NOT_COUNTED;
  return { blocked: res.consumedPoints >= limiter.points, retryAfterSeconds: secondsLeft(res) };
}
