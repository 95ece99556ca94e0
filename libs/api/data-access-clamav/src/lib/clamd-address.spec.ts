import { parseClamdUrl } from './clamd-address';

describe('parseClamdUrl', () => {
  it.each([
    ['tcp://127.0.0.1:3310', { host: '127.0.0.1', port: 3310 }],
    ['tcp://clamd.internal:3310/', { host: 'clamd.internal', port: 3310 }],
    ['tcp://[::1]:7510', { host: '::1', port: 7510 }],
    ['/run/clamav/clamd.ctl', { path: '/run/clamav/clamd.ctl' }],
  ])('should read %s', (url, address) => {
    expect(parseClamdUrl(url)).toEqual(address);
  });

  it.each([
    'clamd:3310',
    '127.0.0.1:3310',
    'http://127.0.0.1:3310',
    'tcp://127.0.0.1',
    'tcp://127.0.0.1:0',
    'tcp://127.0.0.1:70000',
    'tcp://127.0.0.1:3310/scan',
    'tcp://user:secret@127.0.0.1:3310',
    'run/clamd.ctl',
    '',
  ])('should refuse %j, naming the forms it takes', (url) => {
    expect(() => parseClamdUrl(url)).toThrow(
      `CLAMD_URL must be tcp://host:port or the absolute path of clamd's socket (got "${url}")`,
    );
  });
});
