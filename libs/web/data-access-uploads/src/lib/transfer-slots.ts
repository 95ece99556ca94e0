import { Observable } from 'rxjs';

interface Waiter {
  owner: string;
  grant(): void;
}

/**
 * The queue's transfers in flight (a POST, or one part), shared fairly between files: a freed
 * slot goes to the waiting file that holds the fewest, so a large file's parts never starve a
 * small file that waits behind them, and a file alone may use every slot.
 */
export class TransferSlots {
  private readonly held = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(readonly size: number) {}

  /** Runs `work` once `owner` has a slot, and frees it when the work ends or is unsubscribed. */
  run<T>(owner: string, work: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let granted = false;
      let inner: { unsubscribe(): void } | undefined;
      const waiter: Waiter = {
        owner,
        grant: () => {
          granted = true;
          inner = work().subscribe(subscriber);
        },
      };
      this.waiting.push(waiter);
      this.dispatch();
      return () => {
        inner?.unsubscribe();
        if (granted) this.release(owner);
        else this.waiting.splice(this.waiting.indexOf(waiter), 1);
      };
    });
  }

  /** Slots `owner` holds now. */
  heldBy(owner: string): number {
    return this.held.get(owner) ?? 0;
  }

  private release(owner: string): void {
    const count = this.heldBy(owner) - 1;
    if (count > 0) this.held.set(owner, count);
    else this.held.delete(owner);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && this.inUse() < this.size) {
      let next = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        if (this.heldBy(this.waiting[i].owner) < this.heldBy(this.waiting[next].owner)) next = i;
      }
      const [waiter] = this.waiting.splice(next, 1);
      this.held.set(waiter.owner, this.heldBy(waiter.owner) + 1);
      waiter.grant();
    }
  }

  private inUse(): number {
    let total = 0;
    for (const count of this.held.values()) total += count;
    return total;
  }
}
