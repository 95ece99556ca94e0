import { fromDateTimeLocal, toDateTimeLocal } from './date-time-local';

describe('datetime-local values', () => {
  it('should show a time in local time, to the minute', () => {
    expect(toDateTimeLocal(new Date(2026, 10, 28, 9, 5, 59))).toBe('2026-11-28T09:05');
  });

  it('should read a local time back as the same instant in UTC', () => {
    const local = new Date(2026, 10, 28, 23, 30);
    expect(fromDateTimeLocal(toDateTimeLocal(local))).toBe(local.toISOString());
    expect(fromDateTimeLocal('2026-11-28T23:30:15')).toBe(new Date(2026, 10, 28, 23, 30, 15).toISOString());
  });

  it.each(['', '2026-11-28', '28/11/2026 10:00', '2026-13-45T10:00', '2026-11-28T10:00Z'])(
    'should refuse %p',
    (value) => {
      expect(fromDateTimeLocal(value)).toBeUndefined();
    },
  );
});
