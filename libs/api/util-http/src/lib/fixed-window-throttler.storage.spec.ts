import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  let now = 0;
  let sut: FixedWindowThrottlerStorage;
  const hit = (key = 'client-a') => sut.increment(key, 60_000, 3, 0, 'default');

  beforeEach(() => {
    now = 1_000_000;
    sut = new FixedWindowThrottlerStorage(() => now);
  });
  afterEach(() => sut.onModuleDestroy());

  it('should count hits up to the limit, then block until the window ends', async () => {
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect(await hit()).toEqual({ totalHits: 3, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    now += 15_000;
    expect(await hit()).toEqual({ totalHits: 4, timeToExpire: 45, isBlocked: true, timeToBlockExpire: 45 });
    expect((await hit()).totalHits).toBe(4);
  });

  it('should start a fresh window once the last one ended', async () => {
    for (let i = 0; i < 5; i++) await hit();
    now += 60_000;
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('should count each client on its own', async () => {
    for (let i = 0; i < 4; i++) await hit('client-a');
    expect((await hit('client-b')).isBlocked).toBe(false);
  });

  it('should hold a block for its own duration when one is set', async () => {
    for (let i = 0; i < 3; i++) await sut.increment('k', 1000, 3, 30_000, 'default');
    const blocked = await sut.increment('k', 1000, 3, 30_000, 'default');
    expect([blocked.isBlocked, blocked.timeToBlockExpire]).toEqual([true, 30]);
    now += 5_000;
    expect((await sut.increment('k', 1000, 3, 30_000, 'default')).isBlocked).toBe(true);
  });
});
