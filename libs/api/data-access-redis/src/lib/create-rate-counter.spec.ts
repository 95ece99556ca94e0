import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import * as limiters from 'rate-limiter-flexible';
import { createRateCounter } from './create-rate-counter';
import { FixedWindowCounter } from '@dropgate/api/util-http';
import { RedisRateCounter } from './redis-rate-counter';
import { RedisRateStore } from './redis-rate-store';

describe('createRateCounter', () => {
  const limit = { name: 'requests', max: 2, windowMs: 60_000, instances: 3 };

  it('should count the whole limit in memory without Redis, whatever the number of instances', async () => {
    const sut = createRateCounter(null, limit);
    expect(sut).toBeInstanceOf(FixedWindowCounter);
    const hits = [await sut.hit('a'), await sut.hit('a'), await sut.hit('a')];
    expect(hits.map((hit) => hit.blocked)).toEqual([false, false, true]);
    (sut as FixedWindowCounter).onModuleDestroy();
  });

  it('should count in Redis when there is a store', () => {
    const client = Object.assign(new EventEmitter(), { defineCommand: jest.fn(), status: 'ready' });
    const store = new RedisRateStore(client as unknown as Redis, limiters, {
      log: jest.fn(),
      warn: jest.fn(),
    });
    expect(createRateCounter(store, limit)).toBeInstanceOf(RedisRateCounter);
  });
});
