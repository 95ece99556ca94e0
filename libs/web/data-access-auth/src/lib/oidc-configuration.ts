import type { AuthConfig } from '@dropgate/shared/api-contract';
import { LogLevel, type OpenIdConfiguration } from 'angular-auth-oidc-client';

/** Seconds before an access token expires at which a refresh token renews it. */
export const RENEW_BEFORE_EXPIRY_SECONDS = 10;

/**
 * The OIDC client for this API's provider: authorization code with PKCE, refresh tokens in the
 * tab's session storage, and the page's own origin as redirect and post-logout address (register
 * both at the provider).
 */
export function toOpenIdConfiguration(config: AuthConfig, origin: string): OpenIdConfiguration {
  return {
    authority: config.issuer,
    clientId: config.clientId,
    scope: config.scopes.join(' '),
    responseType: 'code',
    redirectUrl: origin,
    postLogoutRedirectUri: origin,
    silentRenew: true,
    useRefreshToken: true,
    renewTimeBeforeTokenExpiresInSeconds: RENEW_BEFORE_EXPIRY_SECONDS,
    ignoreNonceAfterRefresh: true,
    // The name comes from the ID token; the access token is for the API alone.
    autoUserInfo: false,
    logLevel: LogLevel.Warn,
  };
}
