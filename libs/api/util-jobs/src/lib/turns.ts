/**
 * At most `count` holders at a time; the others wait in the order they came. A wait can be
 * bounded: past `maxWaitMs` the caller goes on without a turn, for work that must not stall for
 * long (a peer that times out an idle connection). An aborted wait rejects with the signal's reason.
 */
export class Turns {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly count: number) {}

  /** Resolves with the turn's release (calling it again does nothing) once the turn is this caller's. */
  take(maxWaitMs = Infinity, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
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
        this.held += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.held -= 1;
          this.waiting.shift()?.();
        });
      };
      const onAbort = () => {
        stopWaiting();
        reject(signal?.reason);
      };
      if (this.held < this.count) return grant();
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
}
