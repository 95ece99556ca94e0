import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it.each([
    ['120', 120],
    [' 0 ', 0],
    [['30', '60'], 30],
    ['Sun, 01 Jun 2025 12:01:30 GMT', 90],
    ['Sun, 01 Jun 2025 12:00:00 GMT', 0],
    ['Sat, 31 May 2025 12:00:00 GMT', 0],
    ['Sunday, 01-Jun-25 12:00:10 GMT', 10],
  ])('should read %j as %d seconds', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '3 minutes', '2025-06-01', 'Mon, 99 Foo 2025'])(
    'should ignore %j',
    (header) => {
      expect(parseRetryAfter(header, now)).toBeUndefined();
    },
  );
});
