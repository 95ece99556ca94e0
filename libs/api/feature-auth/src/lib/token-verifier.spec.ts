import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AuthError, ProblemException } from '@dropgate/api/util-http';
import type { AuthSettings } from './auth.config';
import { TokenVerifier } from './token-verifier';

/** A provider on a local port: discovery and a key set, which can be stopped and started again. */
class LocalProvider {
  keys: JWK[] = [];
  keyFetches = 0;
  private server?: Server;
  private port = 0;

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/.well-known/openid-configuration') {
        response.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/jwks` }));
      } else {
        this.keyFetches += 1;
        response.end(JSON.stringify({ keys: this.keys }));
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

async function signingKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

describe('TokenVerifier', () => {
  const provider = new LocalProvider();
  let known: { privateKey: CryptoKey; jwk: JWK };
  let sut: TokenVerifier;
  let now = 0;
  let warnings: jest.SpyInstance;

  const tokenFor = (subject: string, key = known, kid = key.jwk.kid as string) =>
    new SignJWT({ scope: 'uploads:write' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .setIssuer(provider.issuer)
      .setAudience('api://dropgate')
      .setSubject(subject)
      .setExpirationTime('5m')
      .sign(key.privateKey);
  const refusal = (token: string) => sut.verify(token).catch((error: unknown) => error);
  const advance = (ms: number) => (now += ms);

  beforeEach(async () => {
    known = await signingKey('known');
    provider.keys = [known.jwk];
    provider.keyFetches = 0;
    await provider.start();
    // jose and the key set read the time from Date.now; the tokens' own times stay real.
    now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // The defaults, as AuthEnv sets them: keys up to 10 minutes old, a minute's cooldown.
    const settings: AuthSettings = {
      issuer: provider.issuer,
      audience: 'api://dropgate',
      algorithms: ['RS256'],
      scopeClaim: 'scope',
      clockToleranceSeconds: 60,
      jwksCooldownSeconds: 60,
      jwksMaxAgeSeconds: 600,
      webScopes: [],
    };
    sut = new TokenVerifier(settings);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await provider.stop();
  });

  it('should verify a new token with the last good keys while the provider is down past their age', async () => {
    expect((await sut.verify(await tokenFor('before'))).subject).toBe('before');
    await provider.stop();
    advance(11 * 60_000);

    expect((await sut.verify(await tokenFor('during'))).subject).toBe('during');
    expect((await sut.verify(await tokenFor('still during'))).subject).toBe('still during');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(String(warnings.mock.calls[0]?.[0])).toMatch(/not refreshed .*still using the ones fetched at/);
  });

  it('should still fetch the keys again for an unknown kid after the cooldown, and say when it cannot', async () => {
    await sut.verify(await tokenFor('before'));
    const rotated = await signingKey('rotated');
    expect(await refusal(await tokenFor('early', rotated))).toBeInstanceOf(AuthError);
    expect(provider.keyFetches).toBe(1);

    await provider.stop();
    advance(61_000);
    const down = await refusal(await tokenFor('rotated while down', rotated));
    expect(down).toBeInstanceOf(ProblemException);
    expect((down as ProblemException).getStatus()).toBe(503);

    provider.keys = [known.jwk, rotated.jwk];
    await provider.start();
    advance(61_000);
    expect((await sut.verify(await tokenFor('rotated', rotated))).subject).toBe('rotated');
    expect(provider.keyFetches).toBe(2);
  });

  it('should refresh keys past their age while the provider answers', async () => {
    await sut.verify(await tokenFor('before'));
    advance(11 * 60_000);
    await sut.verify(await tokenFor('after'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(provider.keyFetches).toBe(2);
  });
});
