import { EnvironmentInjector, InjectionToken, inject } from '@angular/core';
import type { OidcSecurityService } from 'angular-auth-oidc-client';
import type { Observable } from 'rxjs';

/** The parts of the OIDC client a session uses. */
export interface OidcRuntime {
  readonly oidc: OidcSecurityService;
  /** Emits when a token could not be renewed. */
  readonly renewalFailed$: Observable<void>;
}

/**
 * Loads the OIDC client. Its code (about a quarter of the app's first scripts) is fetched only
 * when a page needs it: to sign in, to come back from the provider, or to restore a session this
 * tab already has; a signed-out visitor's first screen never loads it.
 */
export const OIDC_RUNTIME = new InjectionToken<() => Promise<OidcRuntime>>('OIDC_RUNTIME', {
  providedIn: 'root',
  factory: () => {
    const injector = inject(EnvironmentInjector);
    return () => import('./oidc-runtime').then((m) => m.oidcRuntime(injector));
  },
});
