import { Turns } from './turns';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Takes a turn and notes when it came; the release, once it has. */
function taker(sut: Turns, name: string, log: string[], maxWaitMs?: number, signal?: AbortSignal) {
  return sut.take(maxWaitMs, signal).then((release) => {
    log.push(name);
    return release;
  });
}

describe('Turns', () => {
  afterEach(() => jest.useRealTimers());

  it('should give `count` turns at once, and the next to the first waiting when one is released', async () => {
    const sut = new Turns(2);
    const log: string[] = [];
    const a = taker(sut, 'a', log);
    const b = taker(sut, 'b', log);
    const c = taker(sut, 'c', log);
    const d = taker(sut, 'd', log);
    await tick();
    expect(log).toEqual(['a', 'b']);
    (await b)();
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    // A second release of the same turn gives nothing away.
    (await b)();
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    (await a)();
    await tick();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    (await c)();
    (await d)();
  });

  it('should let a bounded wait go on without a turn, and not count it as holding one', async () => {
    jest.useFakeTimers();
    const sut = new Turns(1);
    const log: string[] = [];
    const first = await sut.take();
    const impatient = taker(sut, 'impatient', log, 1_000);
    void taker(sut, 'patient', log);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(['impatient']);
    // Its release gives no turn away: the first still holds the only one.
    (await impatient)();
    await jest.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['impatient']);
    first();
    await jest.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['impatient', 'patient']);
  });

  it('should reject an aborted wait with the reason, and pass its place to the next', async () => {
    const sut = new Turns(1);
    const log: string[] = [];
    const first = await sut.take();
    const stop = new AbortController();
    const aborted = taker(sut, 'aborted', log, undefined, stop.signal);
    const next = taker(sut, 'next', log);
    stop.abort(new Error('shutting down'));
    await expect(aborted).rejects.toThrow('shutting down');
    first();
    await next;
    expect(log).toEqual(['next']);
    await expect(sut.take(undefined, stop.signal)).rejects.toThrow('shutting down');
  });

  it('should take a free turn at once with tryTake, and none while one is busy or someone waits', async () => {
    const sut = new Turns(1);
    const first = sut.tryTake();
    expect(first).toBeDefined();
    expect(sut.tryTake()).toBeUndefined();
    const log: string[] = [];
    const waiting = taker(sut, 'waiting', log);
    first?.();
    // The freed turn went to the one waiting, not to a caller that came later.
    expect(sut.tryTake()).toBeUndefined();
    (await waiting)();
    expect(log).toEqual(['waiting']);
    const again = sut.tryTake();
    expect(again).toBeDefined();
    again?.();
  });
});
