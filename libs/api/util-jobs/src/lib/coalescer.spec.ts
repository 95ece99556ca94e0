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

  it('should reject every item of a failed write with its error, and go on with the next ones', async () => {
    let calls = 0;
    const sut = new Coalescer<number, number>(async (items) => {
      calls += 1;
      if (calls === 2) throw new Error('the database is restarting');
      return items;
    });
    const first = sut.add(1);
    const failed = [sut.add(2), sut.add(3)];
    await expect(first).resolves.toBe(1);
    await expect(Promise.all(failed)).rejects.toThrow('the database is restarting');
    await expect(failed[1]).rejects.toThrow('the database is restarting');
    await expect(sut.add(4)).resolves.toBe(4);
  });

  it('should reject the items when the write answers a different number of results', async () => {
    const sut = new Coalescer<number, number>(async () => []);
    await expect(sut.add(1)).rejects.toThrow('wrote 0 results for 1 items');
  });
});
