import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** rate-limiter-flexible, loaded with the connection (see connectRateStore). */
export type RateLimiters = typeof import('rate-limiter-flexible');

/**
 * A command slower than this is given up and the request counted in memory: Redis answers in
 * about 0.05 ms, and every request must be answered within 150 ms even while Redis is frozen.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 100;
/** After a failure, Redis is checked again (in the background) this often until it answers. */
export const REDIS_RETRY_AFTER_MS = 1000;
/** How long the boot waits for the first connection before counting in memory. */
const CONNECT_WAIT_MS = 2000;

type Log = Pick<Logger, 'log' | 'warn'>;

/**
 * The Redis connection the rate limits of this process share, and whether Redis answers. While it
 * does not (stopped, unreachable, or frozen), each limit is counted in this process's memory; the
 * change is logged once each way, never once per request.
 */
export class RedisRateStore implements OnModuleInit, OnApplicationShutdown {
  private answering = true;
  private retryAt = 0;
  private probing = false;
  private closed = false;
  private booting = true;
  private bootError?: Error;

  constructor(
    readonly client: Redis,
    readonly limiters: RateLimiters,
    private readonly logger: Log = new Logger('RateLimit'),
    private readonly now: () => number = Date.now,
  ) {
    // Without a listener ioredis prints every failed reconnection; one warning says it all.
    client.on('error', (error: Error) => this.failed(error));
  }

  /**
   * `shared()` while Redis answers, else `local()`. Once a call fails, every call is answered from
   * memory at once, and a PING in the background, at most one a second, finds out when Redis is
   * back: a frozen Redis costs the calls that were waiting when it froze the command timeout,
   * and no call after them.
   */
  async run<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.closed) return local();
    if (!this.answering) {
      this.probe();
      return local();
    }
    try {
      return await shared();
    } catch (error) {
      this.failed(error instanceof Error ? error : new Error(String(error)));
      return local();
    }
  }

  /**
   * Waits briefly for the connection, so that the first requests after a boot are shared. A
   * failure meanwhile is not yet an outage: a process busy booting can miss the timeout of
   * ioredis's own first commands, and ioredis connects again at once.
   */
  async onModuleInit(): Promise<void> {
    if (this.client.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CONNECT_WAIT_MS);
        this.client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.booting = false;
    if (this.client.status !== 'ready') {
      this.failed(this.bootError ?? new Error(`no connection within ${CONNECT_WAIT_MS} ms`));
    }
  }

  /** After the HTTP server has closed: never waits on Redis, which may be frozen. */
  onApplicationShutdown(): void {
    this.closed = true;
    this.client.disconnect();
  }

  private probe(): void {
    if (this.probing || this.now() < this.retryAt) return;
    this.probing = true;
    this.client
      .ping()
      .then(
        () => this.recovered(),
        (error: Error) => this.failed(error),
      )
      .finally(() => (this.probing = false));
  }

  private failed(error: Error): void {
    if (this.closed) return;
    if (this.booting) {
      this.bootError = error;
      return;
    }
    this.retryAt = this.now() + REDIS_RETRY_AFTER_MS;
    if (!this.answering) return;
    this.answering = false;
    this.logger.warn(
      `Redis at ${this.address()} does not answer (${error.message}): counting rate limits in this process's memory, each instance its share of them, until it answers again`,
    );
  }

  private recovered(): void {
    if (this.answering) return;
    this.answering = true;
    this.logger.log(`Redis at ${this.address()} answers again: rate limits are shared again`);
  }

  /** Host and port only: the URL may hold a password. */
  private address(): string {
    const { host, port } = this.client.options;
    return `${host}:${port}`;
  }
}

/**
 * A store for `url` (redis:// or rediss://) that never queues or retries a command: with Redis
 * gone a command fails at once, and with Redis frozen it fails after the command timeout.
 */
export async function connectRateStore(url: string, logger?: Log): Promise<RedisRateStore> {
  // Loaded only here: an instance without REDIS_URL counts in memory and never holds ioredis or
  // rate-limiter-flexible (about 3 MB resident between them, measured).
  const [{ Redis }, limiters] = await Promise.all([import('ioredis'), import('rate-limiter-flexible')]);
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_WAIT_MS,
  });
  return new RedisRateStore(client, limiters, logger);
}
