import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { ROOT } from './gateway';

/** A throwaway local identity provider (tools/local-idp) in its own folder and port. */
export class TestIdp {
  readonly issuer: string;
  private readonly flags: string[];

  constructor(
    readonly name: string,
    readonly port: number,
  ) {
    this.issuer = `http://127.0.0.1:${port}`;
    this.flags = ['--dir', `tmp/${name}`, '--port', String(port)];
  }

  private run(script: string, ...args: string[]): string {
    return execFileSync(process.execPath, [join(ROOT, script), ...args, ...this.flags], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    }).trim();
  }

  start = () => this.run('tools/local-idp/local-idp.mjs', 'start');
  stop = () => this.run('tools/local-idp/local-idp.mjs', 'stop');
  reset = () => this.run('tools/local-idp/local-idp.mjs', 'reset');
  rotateKeys = () => this.run('tools/local-idp/local-idp.mjs', 'rotate-keys');
  /** A real token: client credentials, or a user signed in through the form (PKCE). */
  token = (...args: string[]) => this.run('tools/local-idp/token.mjs', ...args);

  /** How many times the key set was fetched, from the provider's request log. */
  jwksFetches(): number {
    const log = readFileSync(join(ROOT, 'tmp', this.name, 'log', 'idp.log'), 'utf8');
    return log.split('\n').filter((line) => / GET \/jwks$/.test(line)).length;
  }

  /** The provider's current private signing key, for tokens it would never issue itself. */
  signingKey(): JWK {
    return JSON.parse(readFileSync(join(ROOT, 'tmp', this.name, 'keys.json'), 'utf8')).keys[0];
  }

  /**
   * Signed by hand with the provider's key, header and all, for headers a JWT library will not
   * sign (an unknown critical extension).
   */
  signRaw(header: Record<string, unknown>, claims: JWTPayload): string {
    const jwk = this.signingKey();
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid, ...header })}.${part(claims)}`;
    const key = createPrivateKey({ key: { ...jwk }, format: 'jwk' });
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  }

  /** A token signed with the provider's own key, with claims and header of the test's choosing. */
  async craft(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
    const jwk = this.signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.issuer,
      aud: 'api://dropgate',
      sub: 'crafted',
      iat: now,
      exp: now + 300,
      scope: 'uploads:write',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid, ...header })
      .sign(await importJWK(jwk, 'RS256'));
  }
}
