/**
 * Runs `work`, calling `renew` every `everyMs` until it ends: the heartbeat of a lease held while
 * the work runs. A renewal that fails changes nothing here; whoever writes the outcome checks
 * that the lease is still theirs.
 */
export async function withHeartbeat<T>(
  work: () => Promise<T>,
  everyMs: number,
  renew: () => Promise<unknown>,
): Promise<T> {
  const timer = setInterval(() => void renew().catch(() => undefined), everyMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
