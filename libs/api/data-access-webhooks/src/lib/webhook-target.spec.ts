import { parseAllowedNetworks } from './allowed-networks';
import { checkWebhookUrl } from './webhook-target';

const NONE = parseAllowedNetworks('');
const LOCAL = parseAllowedNetworks('127.0.0.0/8,::1/128');

describe('checkWebhookUrl', () => {
  it('should accept an https URL to a host name and return it parsed', () => {
    const sut = checkWebhookUrl('https://example.com/hook?x=1', NONE);
    expect(sut).toEqual({ ok: true, url: new URL('https://example.com/hook?x=1') });
  });

  it('should accept an https URL to a public IP literal', () => {
    expect(checkWebhookUrl('https://93.184.216.34/hook', NONE).ok).toBe(true);
  });

  // Every spelling of loopback that WHATWG URL accepts ends up as 127.0.0.1 or ::ffff:7f00:1.
  const LOOPBACK_SPELLINGS = [
    'https://127.0.0.1/hook',
    'https://0x7f000001/hook',
    'https://2130706433/hook',
    'https://127.1/hook',
    'https://0177.0.0.1/hook',
    'https://0x7f.1/hook',
    'https://127.0.0.1./hook',
    'https://%31%32%37.0.0.1/hook',
    'https://\u2460\u2461\u2466.0.0.1/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[0:0:0:0:0:ffff:7f00:1]/hook',
    'https://[::1]/hook',
  ];

  it.each([
    ...LOOPBACK_SPELLINGS,
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.1/hook',
    'https://192.168.0.10/hook',
    'https://100.64.0.1/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://168.63.129.16/hook',
    'https://0.0.0.0/hook',
    'https://[::]/hook',
  ])('should refuse %s without an allowance, saying it is not public', (url) => {
    const sut = checkWebhookUrl(url, NONE);
    expect(sut).toEqual({
      ok: false,
      reason: expect.stringMatching(/is not a public address .*WEBHOOK_ALLOWED_CIDRS/),
    });
  });

  it.each(LOOPBACK_SPELLINGS)('should accept %s with 127.0.0.0/8 and ::1/128 allowed', (url) => {
    expect(checkWebhookUrl(url, LOCAL).ok).toBe(true);
  });

  it('should still refuse other private addresses when only loopback is allowed', () => {
    expect(checkWebhookUrl('https://10.0.0.1/hook', LOCAL).ok).toBe(false);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', LOCAL, true],
    ['http://[::1]:8080/hook', LOCAL, true],
    ['http://receiver.internal/hook', LOCAL, true],
    ['http://10.0.0.1/hook', LOCAL, false],
    ['http://example.com/hook', NONE, false],
    ['http://93.184.216.34/hook', NONE, false],
    ['http://93.184.216.34/hook', LOCAL, false],
  ])('should judge plain http %s (allowances %#): %s', (url, allowed, ok) => {
    const sut = checkWebhookUrl(url, allowed);
    expect(sut.ok).toBe(ok);
    if (!sut.ok) expect(sut.reason).toMatch(/^Use an https:\/\/ URL/);
  });

  it.each([
    ['https://user:pass@example.com/hook', /^Remove the user name and password/],
    ['https://user@example.com/hook', /^Remove the user name and password/],
    ['http://user:pass@127.0.0.1/hook', /^Remove the user name and password/],
    ['file:///etc/passwd', /^file: URLs cannot receive webhooks/],
    ['gopher://127.0.0.1:6379/_INFO', /^gopher: URLs cannot receive webhooks/],
    ['ftp://example.com/hook', /^ftp: URLs cannot receive webhooks/],
    ['javascript:alert(1)', /^javascript: URLs cannot receive webhooks/],
    ['example.com/hook', /^This is not a URL/],
    ['https://', /^This is not a URL/],
  ])('should refuse %s with a reason', (url, reason) => {
    expect(checkWebhookUrl(url, LOCAL)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});
