import {
  DOCUMENT,
  createEnvironmentInjector,
  type EnvironmentInjector,
  ɵINJECTOR_SCOPE as INJECTOR_SCOPE,
} from '@angular/core';
import { Router } from '@angular/router';
import {
  EventTypes,
  OidcSecurityService,
  PublicEventsService,
  StsConfigHttpLoader,
  StsConfigLoader,
  provideAuth,
} from 'angular-auth-oidc-client';
import { filter, map } from 'rxjs';
import { AuthConfigSource } from './auth-config.source';
import { toOpenIdConfiguration } from './oidc-configuration';
import type { OidcRuntime } from './oidc-runtime.token';

/**
 * The OIDC client, set up against the provider the API trusts (`GET /api/auth/config`). This file
 * is loaded only when a page needs the client (see OIDC_RUNTIME), so none of its code is in the
 * first screen's scripts.
 *
 * The client's services are `providedIn: 'root'` and read their settings from root providers,
 * which cannot be added to the application's injector after it started. They live in an injector
 * of their own that Angular treats as a root (INJECTOR_SCOPE), under the application's; the
 * services they share with the application (the router, the sign-in settings) are the
 * application's own instances, not second copies.
 */
export function oidcRuntime(app: EnvironmentInjector): OidcRuntime {
  const origin = app.get(DOCUMENT).location.origin;
  const config$ = app
    .get(AuthConfigSource)
    .config$.pipe(map((config) => toOpenIdConfiguration(config, origin)));
  const injector = createEnvironmentInjector(
    [
      { provide: INJECTOR_SCOPE, useValue: 'root' },
      { provide: Router, useValue: app.get(Router) },
      provideAuth({ loader: { provide: StsConfigLoader, useValue: new StsConfigHttpLoader(config$) } }),
    ],
    app,
    'oidc',
  );
  return {
    oidc: injector.get(OidcSecurityService),
    renewalFailed$: injector
      .get(PublicEventsService)
      .registerForEvents()
      .pipe(
        filter((event) => event.type === EventTypes.SilentRenewFailed),
        map(() => undefined),
      ),
  };
}
