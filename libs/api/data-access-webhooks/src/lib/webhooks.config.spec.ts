import { webhooksTransportConfig } from './webhooks.config';

function withEnv<T>(env: Record<string, string>, read: () => T): T {
  const saved = process.env;
  process.env = { ...env };
  try {
    return read();
  } finally {
    process.env = saved;
  }
}

describe('webhooksTransportConfig', () => {
  it('should allow no private networks and use 5 s / 15 s by default', () => {
    expect(withEnv({}, webhooksTransportConfig)).toEqual({
      allowed: [],
      connectTimeoutMs: 5_000,
      attemptTimeoutMs: 15_000,
    });
  });

  it('should read the allowed networks and the timeouts', () => {
    const sut = withEnv(
      {
        WEBHOOK_ALLOWED_CIDRS: '10.20.0.0/16, ::1/128',
        WEBHOOK_CONNECT_TIMEOUT_MS: '250',
        WEBHOOK_ATTEMPT_TIMEOUT_MS: '500',
      },
      webhooksTransportConfig,
    );
    expect(sut.allowed.map((network) => network.cidr)).toEqual(['10.20.0.0/16', '::1/128']);
    expect(sut).toMatchObject({ connectTimeoutMs: 250, attemptTimeoutMs: 500 });
  });

  it.each([
    [
      { WEBHOOK_ALLOWED_CIDRS: '10.0.0.0/8,10.0.0.0/40' },
      /^Invalid configuration: WEBHOOK_ALLOWED_CIDRS has "10.0.0.0\/40"/,
    ],
    [
      { WEBHOOK_ATTEMPT_TIMEOUT_MS: '15s' },
      /^Invalid configuration: WEBHOOK_ATTEMPT_TIMEOUT_MS must be a whole number of milliseconds \(got "15s"\)$/,
    ],
    [
      { WEBHOOK_CONNECT_TIMEOUT_MS: '10' },
      /^Invalid configuration: WEBHOOK_CONNECT_TIMEOUT_MS must not be less than 100/,
    ],
  ])('should stop the boot on %j with a message naming the variable', (env, message) => {
    expect(() => withEnv(env, webhooksTransportConfig)).toThrow(message);
  });
});
