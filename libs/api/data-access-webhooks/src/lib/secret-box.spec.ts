import { randomBytes } from 'node:crypto';
import { ConfigError } from '@dropgate/api/util-config';
import { parseSecretsKey, SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const sut = new SecretBox(key);
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('should open what it sealed', () => {
    expect(sut.open(sut.seal(secret))).toBe(secret);
    expect(sut.open(sut.seal(''))).toBe('');
  });

  it('should seal as v1.<iv>.<tag>.<ciphertext> in base64url, with a fresh IV each time', () => {
    const [a, b] = [sut.seal(secret), sut.seal(secret)];
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6, 16));
  });

  const flipFirstByte = (part: string) => {
    const bytes = Buffer.from(part, 'base64url');
    bytes.writeUInt8((bytes.readUInt8(0) ^ 1) & 0xff, 0);
    return bytes.toString('base64url');
  };

  it.each([1, 2, 3])('should refuse a value whose part %d was altered', (index) => {
    const parts = sut.seal(secret).split('.');
    parts[index] = flipFirstByte(parts[index] ?? '');
    expect(() => sut.open(parts.join('.'))).toThrow(
      expect.objectContaining({ name: 'SecretBoxError', code: 'unreadable' }),
    );
  });

  it('should refuse a value sealed with another key', () => {
    const act = () => new SecretBox(randomBytes(32)).open(sut.seal(secret));
    expect(act).toThrow(SecretBoxError);
    expect(act).toThrow('The sealed secret was altered or sealed with another WEBHOOK_SECRETS_KEY');
  });

  it.each([
    ['whsec_plaintext', 'malformed'],
    ['v1.abc.def', 'malformed'],
    ['v1.!!.??.**', 'malformed'],
    ['v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA', 'unsupported_version'],
  ])('should refuse %s as %s', (sealed, code) => {
    expect(() => sut.open(sealed)).toThrow(expect.objectContaining({ code }));
  });

  it('should refuse a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
  });
});

describe('parseSecretsKey', () => {
  const key = randomBytes(32);

  it.each([
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['hex', key.toString('hex')],
    ['upper-case hex with spaces around', ` ${key.toString('hex').toUpperCase()}\n`],
  ])('should read a key in %s', (_form, value) => {
    expect(parseSecretsKey(value)).toEqual(key);
  });

  it.each([undefined, '', '   '])('should say how to make a key when it is missing (%j)', (value) => {
    const act = () => parseSecretsKey(value);
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(
      /^Invalid configuration: WEBHOOK_SECRETS_KEY is required: .*`openssl rand -base64 32`/,
    );
  });

  it.each([
    ['a short key', randomBytes(16).toString('base64')],
    ['a long key', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple correct horse!'],
    ['63 hex digits', key.toString('hex').slice(1)],
  ])('should refuse %s without repeating it', (_name, value) => {
    const act = () => parseSecretsKey(value);
    expect(act).toThrow(
      /^Invalid configuration: WEBHOOK_SECRETS_KEY must be exactly 32 bytes .*`openssl rand -base64 32`$/,
    );
    expect(act).not.toThrow(value);
  });
});
