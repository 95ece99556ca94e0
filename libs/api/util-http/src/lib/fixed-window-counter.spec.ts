import { FixedWindowCounter } from './fixed-window-counter';

describe('FixedWindowCounter', () => {
  let now = 0;
  let sut: FixedWindowCounter;

  beforeEach(() => {
    now = 1_000_000;
    sut = new FixedWindowCounter(3, 60_000, () => now);
  });
  afterEach(() => sut.onModuleDestroy());

  it('should let the limit through, then refuse until the window ends', () => {
    expect([sut.hit('a'), sut.hit('a'), sut.hit('a')].map((h) => h.blocked)).toEqual([false, false, false]);
    now += 15_000;
    expect(sut.hit('a')).toEqual({ blocked: true, retryAfterSeconds: 45 });
    now += 44_500;
    expect(sut.hit('a')).toEqual({ blocked: true, retryAfterSeconds: 1 });
  });

  it('should start a fresh window once the last one ended, whatever was refused in it', () => {
    for (let i = 0; i < 10; i++) sut.hit('a');
    now += 60_000;
    expect(sut.hit('a')).toEqual({ blocked: false, retryAfterSeconds: 60 });
    expect(sut.hit('a').blocked).toBe(false);
  });

  it('should count each client on its own', () => {
    for (let i = 0; i < 4; i++) sut.hit('a');
    expect(sut.hit('b').blocked).toBe(false);
  });

  it('should never advise retrying in 0 seconds', () => {
    for (let i = 0; i < 3; i++) sut.hit('a');
    now += 59_999;
    expect(sut.hit('a').retryAfterSeconds).toBe(1);
  });

  it('should tell whether a client is over the limit without counting', () => {
    expect(sut.peek('a')).toEqual({ blocked: false, retryAfterSeconds: 0 });
    for (let i = 0; i < 2; i++) sut.hit('a');
    expect(sut.peek('a').blocked).toBe(false);
    expect(sut.peek('a').blocked).toBe(false);
    sut.hit('a');
    now += 30_000;
    expect(sut.peek('a')).toEqual({ blocked: true, retryAfterSeconds: 30 });
    now += 30_000;
    expect(sut.peek('a').blocked).toBe(false);
  });
});
