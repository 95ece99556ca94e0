import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, linkedSignal, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { EventTypes, OidcSecurityService, PublicEventsService } from 'angular-auth-oidc-client';
import { catchError, filter, firstValueFrom, from, map, of, switchMap, tap, type Observable } from 'rxjs';
import type { ProblemDetails } from '@dropgate/shared/api-contract';
import { AuthConfigSource } from './auth-config.source';
import { principalOf, type SignedInPrincipal } from './principal';
import { SIGN_OUT_TASKS, runSignOutTasks } from './sign-out-tasks';

/**
 * The signed-in person, as the screens see it. A session that ended (renewal failed, or the API
 * said 401) stays "ended" rather than "signed out", so that a page can keep its work and offer
 * to sign in again in a pop-up.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly oidc = inject(OidcSecurityService);
  private readonly configSource = inject(AuthConfigSource);
  private readonly endedSignal = signal(false);
  private readonly signOutTasks = inject(SIGN_OUT_TASKS, { optional: true }) ?? [];
  /** Whether this page had a session, so that losing it reads as "ended", not "never signed in". */
  private hadSession = false;

  /** The access token's scopes (`scope` or `scp`), for showing what the person may do. */
  readonly scopes = signal<string[]>([]);
  /** Whose session this is (the access token's issuer and subject); kept when the session ends. */
  readonly principal = signal<SignedInPrincipal | undefined>(undefined);
  /** Why sign-in cannot start (the API or its provider), when it cannot. */
  readonly problem = signal<string | undefined>(undefined);
  readonly signedIn = computed(() => this.oidc.authenticated().isAuthenticated && !this.endedSignal());
  readonly ended = this.endedSignal.asReadonly();
  private readonly claimedName = computed(() => {
    const claims = this.oidc.userData().userData as {
      name?: string;
      preferred_username?: string;
      sub?: string;
    };
    return claims?.name ?? claims?.preferred_username ?? claims?.sub ?? '';
  });
  /** The person's name; kept when the session ends, so the header still says whose work is waiting. */
  readonly name = linkedSignal<string, string>({
    source: this.claimedName,
    computation: (name, previous) => name || previous?.value || '',
  });

  constructor() {
    inject(PublicEventsService)
      .registerForEvents()
      .pipe(
        filter((event) => event.type === EventTypes.SilentRenewFailed),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(() => this.markEnded());
  }

  /** Loads the sign-in settings and completes a sign-in that is coming back from the provider. */
  async start(): Promise<void> {
    try {
      await firstValueFrom(this.configSource.config$);
    } catch (error) {
      this.problem.set(describeConfigFailure(error));
      return;
    }
    const result = await firstValueFrom(this.oidc.checkAuth()).catch((error: unknown) => ({
      isAuthenticated: false,
      errorMessage: error instanceof Error ? error.message : String(error),
    }));
    this.hadSession = result.isAuthenticated;
    if (result.isAuthenticated) await this.readClaims();
    if (!result.isAuthenticated && result.errorMessage)
      this.problem.set(`Sign-in failed: ${result.errorMessage}`);
  }

  private async readClaims(): Promise<void> {
    const payload = (await firstValueFrom(this.oidc.getPayloadFromAccessToken()).catch(() => ({}))) as {
      scope?: unknown;
      scp?: unknown;
      iss?: unknown;
      sub?: unknown;
    };
    this.principal.set(principalOf(payload));
    const claim = payload?.scope ?? payload?.scp;
    this.scopes.set(
      Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.split(' ') : [],
    );
  }

  accessToken(): Observable<string> {
    return this.oidc.getAccessToken();
  }

  /** Leaves for the provider's sign-in page. */
  signIn(): void {
    this.oidc.authorize();
  }

  /** Signs in again in a pop-up, so that the page (and its queue) stays as it is. */
  signInAgain(): Observable<boolean> {
    return this.oidc.authorizeWithPopUp().pipe(
      map((result) => result.isAuthenticated),
      tap((ok) => ok && this.endedSignal.set(false)),
      switchMap((ok) => (ok ? from(this.readClaims()).pipe(map(() => ok)) : of(ok))),
    );
  }

  /**
   * Runs the sign-out tasks (what this browser keeps for the person is forgotten), revokes the
   * refresh token, then ends the session at the provider (its end-session endpoint), which comes
   * back to this page signed out. JWT access tokens cannot be revoked (they expire).
   */
  signOut(): void {
    from(runSignOutTasks(this.signOutTasks))
      .pipe(
        switchMap(() => this.oidc.revokeRefreshToken()),
        catchError(() => of(null)),
        switchMap(() => this.oidc.logoff()),
      )
      .subscribe({ error: () => this.signOutLocally() });
  }

  private signOutLocally(): void {
    this.oidc.logoffLocal();
    location.assign('/');
  }

  /** The session is over: tokens no longer renew, or the API refused the one sent. */
  markEnded(): void {
    if (this.hadSession || this.oidc.authenticated().isAuthenticated) this.endedSignal.set(true);
  }
}

function describeConfigFailure(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The Dropgate API is unreachable — check your connection and reload.';
    const problem = error.error as Partial<ProblemDetails> | null;
    return `Sign-in is not available: ${problem?.detail ?? `the API answered ${error.status}`}.`;
  }
  return `Sign-in is not available: ${error instanceof Error ? error.message : String(error)}.`;
}
