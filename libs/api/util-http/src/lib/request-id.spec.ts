import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each([['abc-123'], ['trace:0af7651916cd43dd'], ['A.b_c-d']])('should keep a plausible id %j', (id) => {
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['with a newline (log forging)', 'abc\n{"level":"error"}'],
    ['too long', 'x'.repeat(129)],
    ['with spaces', 'a b'],
  ])('should replace an id that is %s with a new UUID', (_case, header) => {
    expect(requestIdFrom(header)).toMatch(UUID);
  });

  it('should take the first of repeated headers', () => {
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });
});
