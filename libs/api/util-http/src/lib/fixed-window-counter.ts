import type { OnModuleDestroy } from '@nestjs/common';
import type { Hit, RateCounter } from './rate-counter';

interface Window {
  hits: number;
  resetAt: number;
}

/**
 * Request counts per client in fixed windows, in memory: O(1) per request (a list of timestamps
 * per client would cost more the higher the limit), with ended windows swept once a minute.
 */
export class FixedWindowCounter implements RateCounter, OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): Hit {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { hits: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    // Refused requests are not counted, so a client that keeps trying is let in when the window ends.
    const blocked = window.hits >= this.limit;
    if (!blocked) window.hits += 1;
    return { blocked, retryAfterSeconds: this.secondsLeft(window, now) };
  }

  peek(key: string): Hit {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) return { blocked: false, retryAfterSeconds: 0 };
    return { blocked: window.hits >= this.limit, retryAfterSeconds: this.secondsLeft(window, now) };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private secondsLeft(window: Window, now: number): number {
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
