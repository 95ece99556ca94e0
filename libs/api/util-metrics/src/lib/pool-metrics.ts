import { Gauge } from 'prom-client';
import { metricsRegistry } from './registry';

/** What the gauges read from a pg Pool; any pool with these counts will do. */
export interface WatchedPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  /** Set by pg once `end()` has finished. */
  ended?: boolean;
}

const pools = new Set<WatchedPool>();

// Read when scraped, not kept up to date on every checkout.
new Gauge({
  name: 'dropgate_db_pool_connections',
  help: 'Database pool: connections in use, idle, and requests waiting for one.',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
  collect() {
    const sum = { in_use: 0, idle: 0, waiting: 0 };
    for (const pool of pools) {
      // An ended pool (its app closed) no longer counts, and is let go.
      if (pool.ended) {
        pools.delete(pool);
        continue;
      }
      sum.in_use += pool.totalCount - pool.idleCount;
      sum.idle += pool.idleCount;
      sum.waiting += pool.waitingCount;
    }
    for (const [state, value] of Object.entries(sum)) this.set({ state }, value);
  },
});

/** Adds `pool` to the pool gauges until it ends; several pools in one process are summed. */
export function watchPool(pool: WatchedPool): void {
  pools.add(pool);
}
