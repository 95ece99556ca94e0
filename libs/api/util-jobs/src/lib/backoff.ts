/**
 * The delay before attempt `attempt + 1` of a job that failed `attempt` times: doubling from
 * `baseMs`, capped at `maxMs`, with up to a quarter taken off at random so that jobs that failed
 * together do not all come back together.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - random() / 4));
}
