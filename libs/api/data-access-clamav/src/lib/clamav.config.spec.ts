import { clamavConfig } from './clamav.config';

describe('clamavConfig', () => {
  const withEnv = (env: Record<string, string>) => {
    const saved = { ...process.env };
    process.env = { ...env };
    try {
      return clamavConfig();
    } finally {
      process.env = saved;
    }
  };

  it('should read CLAMD_URL with the default timeouts', () => {
    expect(withEnv({ CLAMD_URL: 'tcp://127.0.0.1:7510' })).toEqual({
      scan: 'on',
      url: 'tcp://127.0.0.1:7510',
      connectTimeoutMs: 5_000,
      idleTimeoutMs: 180_000,
    });
  });

  it('should read the timeouts', () => {
    expect(
      withEnv({
        CLAMD_URL: '/run/clamd.ctl',
        CLAMD_CONNECT_TIMEOUT_MS: '250',
        CLAMD_IDLE_TIMEOUT_MS: '9000',
      }),
    ).toMatchObject({ connectTimeoutMs: 250, idleTimeoutMs: 9_000 });
  });

  it('should need no CLAMD_URL when scanning is off', () => {
    expect(withEnv({ UPLOAD_SCAN: 'off' })).toEqual({ scan: 'off' });
  });

  it.each([
    [
      { CLAMD_URL: 'tcp://127.0.0.1:7510', UPLOAD_SCAN: 'no' },
      /^Invalid configuration: UPLOAD_SCAN must be on or off/,
    ],
    [{}, /^Invalid configuration: CLAMD_URL is required: the clamd that scans uploads/],
    [{ CLAMD_URL: 'localhost:3310' }, /^Invalid configuration: CLAMD_URL must be tcp:\/\/host:port or/],
    [
      { CLAMD_URL: 'tcp://127.0.0.1:7510', CLAMD_IDLE_TIMEOUT_MS: 'soon' },
      /^Invalid configuration: CLAMD_IDLE_TIMEOUT_MS must be a whole number of milliseconds \(got "soon"\)$/,
    ],
  ])('should stop the boot on %j with a message naming the variable', (env, message) => {
    expect(() => withEnv(env)).toThrow(message);
  });
});
