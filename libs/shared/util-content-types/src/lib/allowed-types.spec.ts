import { isTypeAllowed } from './allowed-types';

describe('isTypeAllowed', () => {
  const allowlist = ['image/*', 'application/pdf'];

  it.each([
    ['image/png', true],
    ['image/svg+xml', true],
    ['application/pdf', true],
    ['application/zip', false],
    ['imagex/png', false],
    ['text/plain', false],
  ])('%s → %s', (type, expected) => {
    expect(isTypeAllowed(type, allowlist)).toBe(expected);
  });
});
