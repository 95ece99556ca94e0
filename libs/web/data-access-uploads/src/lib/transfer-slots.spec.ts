import { Subject, type Subscription } from 'rxjs';
import { TransferSlots } from './transfer-slots';

describe('TransferSlots', () => {
  /** Asks for a slot for `owner`; the returned transfer ends when `finish()` is called. */
  function ask(sut: TransferSlots, owner: string, log: string[]) {
    const done = new Subject<void>();
    const subscription: Subscription = sut
      .run(owner, () => {
        log.push(owner);
        return done;
      })
      .subscribe();
    return { finish: () => done.complete(), subscription };
  }

  it('should let one file use every slot while it is alone', () => {
    const sut = new TransferSlots(4);
    const log: string[] = [];
    for (let i = 0; i < 6; i++) ask(sut, 'large', log);
    expect(log).toEqual(['large', 'large', 'large', 'large']);
    expect(sut.heldBy('large')).toBe(4);
  });

  it('should give a freed slot to the waiting file that holds the fewest', () => {
    const sut = new TransferSlots(4);
    const log: string[] = [];
    const parts = Array.from({ length: 6 }, () => ask(sut, 'large', log));
    ask(sut, 'small', log);
    parts[0].finish();
    expect(log.slice(4)).toEqual(['small']);
    parts[1].finish();
    expect(log.slice(5)).toEqual(['large']);
    expect([sut.heldBy('large'), sut.heldBy('small')]).toEqual([3, 1]);
  });

  it('should free a slot when its transfer is unsubscribed, and forget a waiter that gave up', () => {
    const sut = new TransferSlots(1);
    const log: string[] = [];
    const first = ask(sut, 'a', log);
    const second = ask(sut, 'b', log);
    second.subscription.unsubscribe();
    first.subscription.unsubscribe();
    expect(sut.heldBy('a')).toBe(0);
    ask(sut, 'c', log);
    expect(log).toEqual(['a', 'c']);
  });
});
