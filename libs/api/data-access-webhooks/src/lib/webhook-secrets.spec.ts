import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, secretHint, signWebhook } from './webhook-secrets';

describe('newWebhookSecret', () => {
  it('should make whsec_ and 32 random bytes in base64, different each time', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe('secretHint', () => {
  it('should show only the prefix and the last four characters', () => {
    expect(secretHint('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_…LaSw');
  });
});

describe('signWebhook', () => {
  const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
  const body = JSON.stringify({ type: 'upload.available', data: { id: 'u1' } });
  const sign = (timestamp: Date, secrets = [oldSecret, newSecret]) =>
    signWebhook({ id: 'msg_1', timestamp, body, secrets });

  it('should give the three Standard Webhooks headers with one v1 signature per secret', () => {
    const sut = sign(new Date('2025-06-01T12:00:00.900Z'));
    expect(sut['webhook-id']).toBe('msg_1');
    expect(sut['webhook-timestamp']).toBe('1748779200');
    expect(sut['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/);
  });

  it('should sign an HMAC-SHA256 of id.timestamp.body with the decoded secret', () => {
    const sut = sign(new Date('2025-06-01T12:00:00Z'), [oldSecret]);
    const key = Buffer.from(oldSecret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`msg_1.1748779200.${body}`).digest('base64');
    expect(sut['webhook-signature']).toBe(`v1,${expected}`);
  });

  it.each([
    ['the old secret', 0],
    ['the new secret', 1],
  ])('should be accepted by the reference verifier holding %s', (_name, index) => {
    const headers = sign(new Date());
    const secret = [oldSecret, newSecret][index] ?? '';
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('should be refused by the reference verifier holding another secret', () => {
    expect(() => new Webhook(newWebhookSecret()).verify(body, sign(new Date()))).toThrow(
      'No matching signature found',
    );
  });

  it('should be refused by the reference verifier when 6 minutes old', () => {
    const headers = sign(new Date(Date.now() - 6 * 60_000));
    expect(() => new Webhook(newSecret).verify(body, headers)).toThrow('Message timestamp too old');
  });

  it('should be refused by the reference verifier when the body was altered', () => {
    const headers = sign(new Date());
    const act = () => new Webhook(newSecret).verify(body.replace('u1', 'u2'), headers);
    expect(act).toThrow(WebhookVerificationError);
    expect(act).toThrow('No matching signature found');
  });

  it('should refuse to sign without a secret', () => {
    expect(() => sign(new Date(), [])).toThrow(RangeError);
  });
});
