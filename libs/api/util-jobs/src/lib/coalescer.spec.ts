import { Coalescer } from './coalescer';

/** A write that records each call's items and resolves when the test says so. */
function gatedWrite() {
  const calls: number[][] = [];
  const gates: Array<() => void> = [];
  const write = (items: number[]) => {
    calls.push(items);
    return new Promise<string[]>((resolve) => gates.push(() => resolve(items.map((n) => `wrote ${n}`))));
  };
  return { write, calls, open: () => gates.shift()?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Coalescer', () => {
  it('should write a lone item at once, in a write of its own', async () => {
    const gated = gatedWrite();
    const sut = new Coalescer(gated.write);
    const one = sut.add(1);
    expect(gated.calls).toEqual([[1]]);
    gated.open();
    await expect(one).resolves.toBe('wrote 1');
  });

  it('should carry every item that came during a write in the next one, each with its own result', async () => {
    const gated = gatedWrite();
    const sut = new Coalescer(gated.write);
    const first = sut.add(1);
    const later = [sut.add(2), sut.add(3), sut.add(4)];
    expect(gated.calls).toEqual([[1]]);
    gated.open();
    await first;
    await tick();
    expect(gated.calls).toEqual([[1], [2, 3, 4]]);
    gated.open();
    await expect(Promise.all(later)).resolves.toEqual(['wrote 2', 'wrote 3', 'wrote 4']);
  });

  it('should carry at most `max` items in one write', async () => {
    const gated = gatedWrite();
    const sut = new Coalescer(gated.write, 2);
    const all = [1, 2, 3, 4].map((n) => sut.add(n));
    for (let i = 0; i < 3; i++) {
      gated.open();
      await tick();
    }
    await Promise.all(all);
    expect(gated.calls).toEqual([[1], [2, 3], [4]]);
  });

  it('should write each item of a failed write again on its own: one bad item fails alone', async () => {
    const calls: number[][] = [];
    const sut = new Coalescer<number, number>(async (items) => {
      calls.push(items);
      if (items.includes(3)) throw new Error('item 3 breaks a constraint');
      return items;
    });
    const first = sut.add(1);
    const together = [sut.add(2), sut.add(3), sut.add(4)];
    await expect(first).resolves.toBe(1);
    const outcomes = await Promise.allSettled(together);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      2,
      'item 3 breaks a constraint',
      4,
    ]);
    expect(calls).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    await expect(sut.add(5)).resolves.toBe(5);
  });

  it('should give every item the error when each fails on its own too (the database is down)', async () => {
    let down = false;
    const sut = new Coalescer<number, number>(async (items) => {
      if (down) throw new Error('the database is restarting');
      down = true;
      return items;
    });
    const first = sut.add(1);
    const failed = [sut.add(2), sut.add(3)];
    await expect(first).resolves.toBe(1);
    await expect(failed[0]).rejects.toThrow('the database is restarting');
    await expect(failed[1]).rejects.toThrow('the database is restarting');
  });

  it('should reject the items when the write answers a different number of results', async () => {
    const sut = new Coalescer<number, number>(async () => []);
    await expect(sut.add(1)).rejects.toThrow('wrote 0 results for 1 items');
  });
});
