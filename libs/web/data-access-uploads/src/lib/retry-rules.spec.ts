import { RETRY_RULES, retryDelay } from './retry-rules';
import type { UploadErrorKind } from './upload-error';

describe('retryDelay', () => {
  it.each<[UploadErrorKind, number, number | undefined, number | undefined]>([
    ['policy-expired', 1, undefined, 0],
    ['policy-expired', 2, undefined, 0],
    ['policy-expired', 3, undefined, undefined],
    ['network', 1, undefined, 1000],
    ['network', 2, undefined, 2000],
    ['network', 3, undefined, 4000],
    ['network', 4, undefined, undefined],
    ['server', 1, undefined, 1000],
    ['rate-limited', 1, 7000, 7000],
    ['rate-limited', 5, undefined, 16000],
    ['rate-limited', 6, undefined, undefined],
    ['size-mismatch', 1, undefined, undefined],
    ['policy-rejected', 1, undefined, undefined],
    ['bucket-missing', 1, undefined, undefined],
    ['invalid-request', 1, undefined, undefined],
    ['signed-out', 1, undefined, undefined],
    ['forbidden', 1, undefined, undefined],
    ['not-as-declared', 1, undefined, undefined],
    ['bad-digest', 1, undefined, 0],
    ['bad-digest', 2, undefined, undefined],
    ['parts-incomplete', 1, undefined, 0],
    ['parts-incomplete', 2, undefined, 0],
    ['parts-incomplete', 3, undefined, undefined],
  ])('%s, retry %i, Retry-After %p → %p ms', (kind, retry, retryAfterMs, expected) => {
    expect(retryDelay(kind, retry, retryAfterMs)).toBe(expected);
  });

  it('should never retry a 4xx other than an expired policy, a corrupted part, missing parts or the rate limit on its own', () => {
    const automatic = Object.entries(RETRY_RULES)
      .filter(([, rule]) => rule.action !== 'never')
      .map(([kind]) => kind)
      .sort();
    expect(automatic).toEqual([
      'bad-digest',
      'network',
      'parts-incomplete',
      'policy-expired',
      'rate-limited',
      'server',
      'signed-out',
    ]);
  });

  it('should wait for a new sign-in, not a timer, when the session ended', () => {
    expect(RETRY_RULES['signed-out'].action).toBe('sign-in');
  });
});
