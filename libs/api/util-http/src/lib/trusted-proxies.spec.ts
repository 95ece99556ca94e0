import { isTrustedProxy } from './trusted-proxies';

describe('isTrustedProxy', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.0/8',
    '192.168.1.0/24',
    '0.0.0.0/0',
    '::1',
    'fd00::/8',
    '::ffff:10.0.0.1',
    'loopback',
    'uniquelocal',
  ])('should accept %s', (value) => expect(isTrustedProxy(value)).toBe(true));

  it.each([
    'true',
    '*',
    'localhost',
    '127.1',
    '0x7f.0.0.1',
    '1.2.3.4/33',
    '::1/129',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/x',
    '10.0.0.0/255.0.0.0',
    'Loopback',
    '',
  ])('should refuse %j', (value) => expect(isTrustedProxy(value)).toBe(false));
});
