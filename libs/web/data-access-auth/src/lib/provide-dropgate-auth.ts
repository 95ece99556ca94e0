import { inject, provideAppInitializer, type EnvironmentProviders } from '@angular/core';
import { AuthSession } from './auth-session';

/**
 * Sign-in against the provider the API trusts, set up from `GET /api/auth/config` before the
 * first screen; the OIDC client itself loads only when a page needs it (OIDC_RUNTIME). Add
 * `apiTokenInterceptor` to `provideHttpClient(withInterceptors(…))` beside it.
 */
export function provideDropgateAuth(): EnvironmentProviders[] {
  return [provideAppInitializer(() => inject(AuthSession).start())];
}
