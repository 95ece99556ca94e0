import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, parseRetrySchedule } from './retry-schedule';

describe('the retry schedule', () => {
  it('should read the default as 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });

  it.each(['', '5', '5x', '5s,,1m', '-1s', '1.5s'])('should refuse %p', (text) => {
    expect(parseRetrySchedule(text)).toBeUndefined();
  });

  it('should jitter each step by at most 20 % either way', () => {
    const schedule = [10_000];
    expect(nextAttemptAt(schedule, 0, undefined, 0, () => 0)?.getTime()).toBe(8_000);
    expect(nextAttemptAt(schedule, 0, undefined, 0, () => 0.9999)?.getTime()).toBeCloseTo(12_000, -1);
  });

  it('should end once the schedule is spent', () => {
    expect(nextAttemptAt([1_000, 2_000], 2)).toBeUndefined();
  });

  it('should honour Retry-After, capped at the next step', () => {
    expect(nextAttemptAt([60_000], 0, 10, 0)?.getTime()).toBe(10_000);
    expect(nextAttemptAt([60_000], 0, 3_600, 0)?.getTime()).toBe(60_000);
  });
});
