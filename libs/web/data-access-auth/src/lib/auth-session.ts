import { HttpErrorResponse } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, inject, linkedSignal, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, firstValueFrom, from, map, of, switchMap, tap, type Observable } from 'rxjs';
import type { ProblemDetails } from '@dropgate/shared/api-contract';
import { AuthConfigSource } from './auth-config.source';
import { OIDC_RUNTIME, type OidcRuntime } from './oidc-runtime.token';
import { principalOf, type SignedInPrincipal } from './principal';
import { SIGN_OUT_TASKS, runSignOutTasks } from './sign-out-tasks';

/**
 * The signed-in person, as the screens see it. A session that ended (renewal failed, or the API
 * said 401) stays "ended" rather than "signed out", so that a page can keep its work and offer
 * to sign in again in a pop-up.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly loadRuntime = inject(OIDC_RUNTIME);
  private readonly configSource = inject(AuthConfigSource);
  private readonly destroyRef = inject(DestroyRef);
  private readonly window = inject(DOCUMENT).defaultView;
  /** The OIDC client, once a page needed it (see OIDC_RUNTIME). */
  private readonly runtime = signal<OidcRuntime | undefined>(undefined);
  private runtimeLoad?: Promise<OidcRuntime>;
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
  readonly signedIn = computed(
    () => (this.runtime()?.oidc.authenticated().isAuthenticated ?? false) && !this.endedSignal(),
  );
  readonly ended = this.endedSignal.asReadonly();
  /** Sign-out is under way (its tasks run, then the provider's page opens): a second one is ignored. */
  readonly signingOut = signal(false);
  private readonly claimedName = computed(() => {
    const claims = this.runtime()?.oidc.userData().userData as
      { name?: string; preferred_username?: string; sub?: string } | undefined;
    return claims?.name ?? claims?.preferred_username ?? claims?.sub ?? '';
  });
  /** The person's name; kept when the session ends, so the header still says whose work is waiting. */
  readonly name = linkedSignal<string, string>({
    source: this.claimedName,
    computation: (name, previous) => name || previous?.value || '',
  });

  /**
   * Loads the sign-in settings and, when this tab may have a session (it is coming back from the
   * provider, or it signed in before), the OIDC client, fetched beside the settings; then completes
   * the sign-in or restores the session. A visitor who never signed in loads no OIDC code.
   */
  async start(): Promise<void> {
    const oidc = this.mayHaveSession() ? this.oidc() : undefined;
    oidc?.catch(() => undefined);
    try {
      await firstValueFrom(this.configSource.config$);
    } catch (error) {
      this.problem.set(describeConfigFailure(error));
      return;
    }
    if (!oidc) return;
    const result = await oidc
      .then((client) => firstValueFrom(client.checkAuth()))
      .catch((error: unknown) => ({
        isAuthenticated: false,
        errorMessage: error instanceof Error ? error.message : String(error),
      }));
    this.hadSession = result.isAuthenticated;
    this.rememberSession(result.isAuthenticated);
    if (result.isAuthenticated) await this.readClaims();
    if (!result.isAuthenticated && result.errorMessage)
      this.problem.set(`Sign-in failed: ${result.errorMessage}`);
  }

  private async readClaims(): Promise<void> {
    const oidc = await this.oidc();
    const payload = (await firstValueFrom(oidc.getPayloadFromAccessToken()).catch(() => ({}))) as {
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

  /** The access token; empty while there is no session (the OIDC client is not even loaded). */
  accessToken(): Observable<string> {
    const runtime = this.runtime();
    return runtime ? runtime.oidc.getAccessToken() : of('');
  }

  /** Leaves for the provider's sign-in page. */
  signIn(): void {
    this.oidc().then(
      (oidc) => oidc.authorize(),
      () => this.problem.set('Sign-in could not load — check your connection and reload.'),
    );
  }

  /** Signs in again in a pop-up, so that the page (and its queue) stays as it is. */
  signInAgain(): Observable<boolean> {
    return from(this.oidc()).pipe(
      switchMap((oidc) => oidc.authorizeWithPopUp()),
      map((result) => result.isAuthenticated),
      tap((ok) => ok && (this.endedSignal.set(false), this.rememberSession(true))),
      switchMap((ok) => (ok ? from(this.readClaims()).pipe(map(() => ok)) : of(ok))),
    );
  }

  /**
   * Runs the sign-out tasks (what this browser keeps for the person is forgotten), revokes the
   * refresh token, then ends the session at the provider (its end-session endpoint), which comes
   * back to this page signed out. JWT access tokens cannot be revoked (they expire).
   */
  signOut(): void {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    this.rememberSession(false);
    from(runSignOutTasks(this.signOutTasks))
      .pipe(
        switchMap(() => this.oidc()),
        switchMap((oidc) =>
          oidc.revokeRefreshToken().pipe(
            catchError(() => of(null)),
            switchMap(() => oidc.logoff()),
          ),
        ),
      )
      .subscribe({ error: () => this.signOutLocally() });
  }

  private signOutLocally(): void {
    this.runtime()?.oidc.logoffLocal();
    location.assign('/');
  }

  /** The session is over: tokens no longer renew, or the API refused the one sent. */
  markEnded(): void {
    if (this.hadSession || this.runtime()?.oidc.authenticated().isAuthenticated) this.endedSignal.set(true);
  }

  /** The OIDC client, loaded once; a session ends when its tokens no longer renew. */
  private oidc(): Promise<OidcRuntime['oidc']> {
    this.runtimeLoad ??= this.loadRuntime().then((runtime) => {
      runtime.renewalFailed$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.markEnded());
      this.runtime.set(runtime);
      return runtime;
    });
    this.runtimeLoad.catch(() => (this.runtimeLoad = undefined));
    return this.runtimeLoad.then((runtime) => runtime.oidc);
  }

  /**
   * Whether this tab may hold a session: it is coming back from the provider (the sign-in
   * pop-up too), or it signed in before. Only then does the first screen load the OIDC client.
   */
  private mayHaveSession(): boolean {
    const search = new URLSearchParams(this.window?.location.search ?? '');
    if (search.has('state') && (search.has('code') || search.has('error'))) return true;
    return readSessionMark(this.window) === '1';
  }

  /** Notes in the tab's session storage (where the OIDC client keeps its tokens) whether it signed in. */
  private rememberSession(signedIn: boolean): void {
    try {
      if (signedIn) this.window?.sessionStorage.setItem(SESSION_MARK, '1');
      else this.window?.sessionStorage.removeItem(SESSION_MARK);
    } catch {
      // Storage refused (a private window's quota): the tab loads the client at every start.
    }
  }
}

/** The session-storage item that says this tab signed in. */
export const SESSION_MARK = 'dropgate.signed-in';

function readSessionMark(window: Window | null): string | null {
  try {
    return window?.sessionStorage.getItem(SESSION_MARK) ?? null;
  } catch {
    return '1';
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
