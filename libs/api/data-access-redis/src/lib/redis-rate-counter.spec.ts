import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import * as limiters from 'rate-limiter-flexible';
import { RedisRateCounter } from './redis-rate-counter';
import { RedisRateStore } from './redis-rate-store';

/** The commands rate-limiter-flexible sends, over a Map: its counting script, GET with PTTL, and PING. */
class FakeRedis extends EventEmitter {
  status = 'ready';
  options = { host: '127.0.0.1', port: 6379 };
  down = false;
  readonly keys = new Map<string, { value: number; expiresAt: number }>();

  defineCommand(): void {
    // The script is run by rlflxIncr below.
  }

  async rlflxIncr([key, points, seconds]: string[]): Promise<[number, number]> {
    if (this.down) throw new Error('Command timed out');
    const entry = this.keys.get(key) ?? { value: 0, expiresAt: Date.now() + Number(seconds) * 1000 };
    entry.value += Number(points);
    this.keys.set(key, entry);
    return [entry.value, entry.expiresAt - Date.now()];
  }

  async ping(): Promise<string> {
    if (this.down) throw new Error('Command timed out');
    return 'PONG';
  }

  multi() {
    const keys: string[] = [];
    const chain = {
      get: (key: string) => (keys.push(key), chain),
      pttl: () => chain,
      exec: async () => {
        if (this.down) throw new Error('Command timed out');
        const entry = this.keys.get(keys[0]);
        return [
          [null, entry ? String(entry.value) : null],
          [null, entry ? entry.expiresAt - Date.now() : -2],
        ];
      },
    };
    return chain;
  }

  disconnect(): void {
    this.down = true;
  }
}

describe('RedisRateCounter', () => {
  let redis: FakeRedis;
  let store: RedisRateStore;
  const counter = (name = 'requests') =>
    new RedisRateCounter(store, { name, max: 10, windowMs: 60_000, instances: 3 });

  beforeEach(async () => {
    redis = new FakeRedis();
    store = new RedisRateStore(redis as unknown as Redis, limiters, { log: jest.fn(), warn: jest.fn() });
    await store.onModuleInit();
  });

  it('should let the limit through across instances, then refuse with the seconds left in the window', async () => {
    const instances = [counter(), counter(), counter()];
    const hits = [];
    for (let i = 0; i < 12; i++) hits.push(await instances[i % 3].hit('principal a'));
    expect(hits.map((hit) => hit.blocked)).toEqual([...Array(10).fill(false), true, true]);
    expect(hits[11].retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(hits[11].retryAfterSeconds).toBeLessThanOrEqual(60);
    expect([...redis.keys.keys()]).toEqual(['dropgate:rl:requests:principal a']);
  });

  it('should keep each limit under its own prefix', async () => {
    await counter('requests').hit('ip 10.0.0.1');
    await counter('auth-failures').hit('ip 10.0.0.1');
    expect([...redis.keys.keys()].sort()).toEqual([
      'dropgate:rl:auth-failures:ip 10.0.0.1',
      'dropgate:rl:requests:ip 10.0.0.1',
    ]);
  });

  it('should peek without counting, and tell when the next request would be refused', async () => {
    const sut = counter();
    expect(await sut.peek('ip 10.0.0.1')).toEqual({ blocked: false, retryAfterSeconds: 0 });
    for (let i = 0; i < 9; i++) await sut.hit('ip 10.0.0.1');
    for (let i = 0; i < 3; i++) expect((await sut.peek('ip 10.0.0.1')).blocked).toBe(false);
    expect(redis.keys.get('dropgate:rl:requests:ip 10.0.0.1')?.value).toBe(9);
    await sut.hit('ip 10.0.0.1');
    const peeked = await sut.peek('ip 10.0.0.1');
    expect(peeked.blocked).toBe(true);
    expect(peeked.retryAfterSeconds).toBeGreaterThanOrEqual(59);
  });

  it("should let through this instance's share of the limit, ceil(10 / 3), while Redis is down", async () => {
    redis.down = true;
    const sut = counter();
    const hits = [];
    for (let i = 0; i < 6; i++) hits.push(await sut.hit('principal a'));
    expect(hits.map((hit) => hit.blocked)).toEqual([false, false, false, false, true, true]);
    expect(hits[5].retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(await sut.peek('principal a')).toMatchObject({ blocked: true });
    expect(await sut.peek('principal b')).toEqual({ blocked: false, retryAfterSeconds: 0 });
  });
});
