import { inject, provideAppInitializer, type EnvironmentProviders } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { StsConfigHttpLoader, StsConfigLoader, provideAuth } from 'angular-auth-oidc-client';
import { map } from 'rxjs';
import { AuthConfigSource } from './auth-config.source';
import { AuthSession } from './auth-session';
import { toOpenIdConfiguration } from './oidc-configuration';

/**
 * Sign-in against the provider the API trusts, set up from `GET /api/auth/config` before the
 * first screen. Add `apiTokenInterceptor` to `provideHttpClient(withInterceptors(…))` beside it.
 */
export function provideDropgateAuth(): EnvironmentProviders[] {
  return [
    provideAuth({
      loader: {
        provide: StsConfigLoader,
        useFactory: () => {
          const origin = inject(DOCUMENT).location.origin;
          return new StsConfigHttpLoader(
            inject(AuthConfigSource).config$.pipe(map((config) => toOpenIdConfiguration(config, origin))),
          );
        },
      },
    }),
    provideAppInitializer(() => inject(AuthSession).start()),
  ];
}
