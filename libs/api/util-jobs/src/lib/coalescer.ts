/**
 * Group commit: items handed in while a write is running wait for it to end, then go together in
 * the next one. Alone, an item is written at once, with no added wait; under load, one write
 * carries every item that came meanwhile (up to `max`), so the writes per item fall as the load
 * grows. `write` answers one result per item, in the same order. When a write of several items
 * throws, each is written again on its own, so that one bad item fails alone and never takes the
 * others down with it; an item whose own write throws gets that error.
 */
export class Coalescer<I, O> {
  private waiting: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly max = 100,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const carried = this.waiting.splice(0, this.max);
      try {
        const results = await this.writeAll(carried.map((w) => w.item));
        carried.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        if (carried.length === 1) carried[0].reject(error);
        else
          await Promise.all(
            carried.map((w) => this.writeAll([w.item]).then(([one]) => w.resolve(one), w.reject)),
          );
      }
    }
    this.writing = false;
  }

  private async writeAll(items: I[]): Promise<O[]> {
    const results = await this.write(items);
    if (results.length !== items.length)
      throw new Error(`wrote ${results.length} results for ${items.length} items`);
    return results;
  }
}
