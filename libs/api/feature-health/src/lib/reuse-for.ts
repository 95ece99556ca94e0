/**
 * Wraps a probe so that its answer is reused for `ttlMs` after it settles, and calls made while
 * it runs wait for the same run: however many calls arrive, at most one probe per interval.
 */
export function reuseFor<T>(ttlMs: number, probe: () => Promise<T>): () => Promise<T> {
  let last: Promise<T> | undefined;
  let running = false;
  let settledAt = -Infinity;
  return () => {
    if (last && (running || Date.now() - settledAt < ttlMs)) return last;
    running = true;
    last = probe().finally(() => {
      running = false;
      settledAt = Date.now();
    });
    return last;
  };
}
