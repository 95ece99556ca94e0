import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ConfigError, ToList, ToNumber, validateEnv } from '@dropgate/api/util-config';

/** Asymmetric JWS algorithms only: `none` and the HMAC family can never be configured (RFC 8725). */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

export class AuthEnv {
  @IsOptional() // checked below, with a message that says where an issuer comes from
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be the issuer URL of an OpenID provider, such as https://login.example.com/realm' },
  )
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  @ToList()
  @IsIn(ALLOWED_ALGORITHMS, {
    each: true,
    message: `must be a comma-separated list of ${ALLOWED_ALGORITHMS.join(', ')}`,
  })
  OIDC_ALGORITHMS: string[] = ['RS256', 'ES256'];

  @IsIn(['scope', 'scp'], { message: 'must be scope (a space-separated string) or scp (an array)' })
  OIDC_SCOPE_CLAIM = 'scope';

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(3600)
  OIDC_JWKS_COOLDOWN_SECONDS = 60;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86_400)
  OIDC_JWKS_MAX_AGE_SECONDS = 600;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @ToList(/\s+/)
  @IsString({ each: true })
  OIDC_WEB_SCOPES: string[] = [
    'openid',
    'profile',
    'offline_access',
    'uploads:write',
    'uploads:read',
    'webhooks:admin',
  ];
}

export interface AuthSettings {
  /** The only issuer whose access tokens are accepted (exact `iss`); every upload route needs one. */
  issuer: string;
  audience: string;
  algorithms: string[];
  scopeClaim: 'scope' | 'scp';
  /** RFC 8725 and common practice: at most a minute of clock skew. */
  clockToleranceSeconds: number;
  /** The least time between two fetches of the provider's keys, for tokens with an unknown `kid`. */
  jwksCooldownSeconds: number;
  /**
   * How old the provider's keys may grow before they are fetched again. Until a fetch succeeds
   * the old keys stay in use, so an outage at the provider does not become one here.
   */
  jwksMaxAgeSeconds: number;
  /** The web app's public client at the provider; unset where no web app signs in. */
  webClientId?: string;
  webScopes: string[];
}

export const authConfig = registerAs('auth', (): AuthSettings => {
  const env = validateEnv(AuthEnv, process.env);
  if (!env.OIDC_ISSUER) {
    throw new ConfigError(
      'OIDC_ISSUER',
      'is required: the issuer URL of the OpenID provider whose access tokens this API accepts (`npm start` runs a local one for development; the README shows Entra ID, Okta and Keycloak)',
    );
  }
  if (!env.OIDC_AUDIENCE) {
    throw new ConfigError(
      'OIDC_AUDIENCE',
      'is required with OIDC_ISSUER: the audience access tokens are issued for',
    );
  }
  return {
    // Exactly as configured: `iss` must equal it character for character (Auth0's ends in '/').
    issuer: env.OIDC_ISSUER,
    audience: env.OIDC_AUDIENCE ?? '',
    algorithms: env.OIDC_ALGORITHMS,
    scopeClaim: env.OIDC_SCOPE_CLAIM as 'scope' | 'scp',
    clockToleranceSeconds: 60,
    jwksCooldownSeconds: env.OIDC_JWKS_COOLDOWN_SECONDS,
    jwksMaxAgeSeconds: env.OIDC_JWKS_MAX_AGE_SECONDS,
    webClientId: env.OIDC_CLIENT_ID,
    webScopes: env.OIDC_WEB_SCOPES,
  };
});
