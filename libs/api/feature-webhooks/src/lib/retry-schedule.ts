/** Svix's schedule, which Standard Webhooks' authors run: about 32 hours over 8 attempts. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `5s,5m,2h` → milliseconds; undefined when any step is not a whole number with a unit. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const steps = text.split(',').map((step) => /^\s*(\d+)(ms|s|m|h)\s*$/.exec(step));
  if (steps.length === 0 || steps.some((step) => !step)) return undefined;
  return steps.map((step) => Number(step?.[1]) * UNIT_MS[step?.[2] ?? 's']);
}

/**
 * When to try again after the failure at `step` (0 for the first attempt's), with ±20 % jitter so
 * that an endpoint coming back is not hit by every delivery at once; undefined when the schedule
 * is spent. A `Retry-After` is honoured, but never past the schedule's own next step.
 */
export function nextAttemptAt(
  schedule: readonly number[],
  step: number,
  retryAfterSeconds?: number,
  now = Date.now(),
  random = Math.random,
): Date | undefined {
  const wait = schedule[step];
  if (wait === undefined) return undefined;
  const jittered = wait * (0.8 + 0.4 * random());
  const asked = retryAfterSeconds === undefined ? jittered : Math.min(retryAfterSeconds * 1000, wait);
  return new Date(now + Math.max(0, asked));
}
