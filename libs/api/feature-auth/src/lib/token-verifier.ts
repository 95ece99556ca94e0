import { Inject, Injectable, Logger } from '@nestjs/common';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Principal } from '@dropgate/shared/api-contract';
import { AuthError, authUnavailable } from '@dropgate/api/util-http';
import { authConfig, type AuthSettings } from './auth.config';
import { ProviderKeySet } from './provider-key-set';
import { VerifiedTokenCache } from './verified-token-cache';

/** JWT access-token types (RFC 9068, and plain JWT as Entra ID issues); anything else is another kind of token. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt']);

/** What jose throws for a token that is wrong in itself (as opposed to a provider it cannot reach). */
const TOKEN_FAULTS = [
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JWKInvalid,
];

/**
 * Verifies access tokens against the issuer's keys, found through OIDC discovery. A token signed
 * with an unknown `kid` makes the key set be fetched again, at most once a minute (by default), so keys
 * rotated at the provider work without a restart; keys past their age are refreshed, and kept
 * while the provider cannot be reached. A token that passed is remembered until its `exp`, so
 * that a client's next requests with it skip the signature check.
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger('Auth');
  private keys?: Promise<JWTVerifyGetKey>;
  private readonly verified = new VerifiedTokenCache();

  constructor(@Inject(authConfig.KEY) private readonly settings: AuthSettings) {}

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    const { issuer, audience, algorithms, clockToleranceSeconds } = this.settings;
    let payload: JWTPayload;
    let typ: string | undefined;
    try {
      ({
        payload,
        protectedHeader: { typ },
      } = await jwtVerify(token, await this.keySet(), {
        issuer,
        audience,
        algorithms,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['iss', 'sub', 'aud', 'exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthError('expired');
      if (TOKEN_FAULTS.some((fault) => error instanceof fault)) throw new AuthError('invalid');
      // Anything else is about reaching the provider (discovery, or its key set), not the token:
      // worth an operator's attention, and a reason to retry rather than to sign in again.
      this.logger.warn(`token not verified: ${(error as Error).message}`);
      throw authUnavailable();
    }
    if (typ !== undefined && !ACCESS_TOKEN_TYPES.has(typ.toLowerCase())) throw new AuthError('invalid');
    const principal = this.principalOf(payload);
    this.verified.set(token, principal, (payload.exp as number) * 1000);
    return principal;
  }

  private principalOf(payload: JWTPayload): Principal {
    const claim = payload[this.settings.scopeClaim];
    const scopes = Array.isArray(claim)
      ? claim.map(String)
      : typeof claim === 'string'
        ? claim.split(' ').filter(Boolean)
        : [];
    const clientId = payload['client_id'] ?? payload['azp'] ?? payload['appid'];
    const name = payload['name'] ?? payload['preferred_username'];
    return {
      issuer: payload.iss as string,
      subject: payload.sub as string,
      ...(typeof clientId === 'string' && { clientId }),
      ...(typeof name === 'string' && { name }),
      scopes,
    };
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const { issuer } = this.settings;
    const response = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
    const document = (await response.json()) as { issuer?: string; jwks_uri?: string };
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer is exactly the one configured.
    if (document.issuer !== issuer || !document.jwks_uri) {
      throw new Error(`OIDC discovery at ${issuer} names another issuer or no jwks_uri`);
    }
    const timing = {
      maxAgeMs: this.settings.jwksMaxAgeSeconds * 1000,
      cooldownMs: this.settings.jwksCooldownSeconds * 1000,
      timeoutMs: 5000,
    };
    return new ProviderKeySet(new URL(document.jwks_uri), timing, this.logger).getKey;
  }
}
