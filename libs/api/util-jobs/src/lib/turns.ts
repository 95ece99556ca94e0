/**
 * At most `count` holders at a time; the others wait in the order they came. A wait can be
 * bounded: past `maxWaitMs` the caller goes on without a turn, for work that must not stall for
 * long (a peer that times out an idle connection). An aborted wait rejects with the signal's reason.
 */
export class Turns {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly count: number) {}

  /**
   * The turn's release (calling it again does nothing) when one is free now and nobody waits for
   * it; undefined otherwise. For hot paths that should not pay for a promise when nothing is busy.
   */
  tryTake(): (() => void) | undefined {
    if (this.held >= this.count || this.waiting.length > 0) return undefined;
    return this.hold();
  }

  /** Resolves with the turn's release (calling it again does nothing) once the turn is this caller's. */
  take(maxWaitMs = Infinity, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.tryTake();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const stopWaiting = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.waiting.indexOf(grant);
        if (at !== -1) this.waiting.splice(at, 1);
      };
      const grant = () => {
        stopWaiting();
        resolve(this.hold());
      };
      const onAbort = () => {
        stopWaiting();
        reject(signal?.reason);
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(maxWaitMs)) {
        timer = setTimeout(() => {
          stopWaiting();
          resolve(() => undefined);
        }, maxWaitMs);
        timer.unref();
      }
    });
  }

  private hold(): () => void {
    this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= 1;
      this.waiting.shift()?.();
    };
  }
}
