import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NEVER, of } from 'rxjs';
import { AuthConfigSource } from './auth-config.source';
import { AuthSession, SESSION_MARK } from './auth-session';
import { OIDC_RUNTIME, type OidcRuntime } from './oidc-runtime.token';
import { SIGN_OUT_TASKS } from './sign-out-tasks';

/** The OIDC client as far as the session uses it, recording the order of what it is asked. */
function fakeOidc(steps: string[]) {
  return {
    authenticated: signal({ isAuthenticated: true }),
    userData: signal({ userData: { sub: 'alice' } }),
    checkAuth: () => of({ isAuthenticated: true }),
    getPayloadFromAccessToken: () =>
      of({ iss: 'https://idp.example', sub: 'alice', scope: 'uploads:read uploads:write' }),
    revokeRefreshToken: () => (steps.push('revoke'), of(null)),
    logoff: () => (steps.push('logoff'), of(null)),
    logoffLocal: () => steps.push('logoffLocal'),
    authorize: () => steps.push('authorize'),
  };
}

/** The session over a fake OIDC client; `loads` counts how often the client's code was loaded. */
function setup(steps: string[], task: () => Promise<void>, { signedInBefore = true } = {}) {
  const loads = { count: 0 };
  const runtime = { oidc: fakeOidc(steps), renewalFailed$: NEVER } as unknown as OidcRuntime;
  if (signedInBefore) sessionStorage.setItem(SESSION_MARK, '1');
  TestBed.configureTestingModule({
    providers: [
      { provide: OIDC_RUNTIME, useValue: () => (loads.count++, Promise.resolve(runtime)) },
      { provide: AuthConfigSource, useValue: { config$: of({}) } },
      { provide: SIGN_OUT_TASKS, multi: true, useValue: task },
    ],
  });
  return { sut: TestBed.inject(AuthSession), loads };
}

describe('AuthSession', () => {
  afterEach(() => sessionStorage.clear());

  it('should not load the OIDC client for a tab that never signed in', async () => {
    const { sut, loads } = setup([], async () => undefined, { signedInBefore: false });
    await sut.start();
    expect(loads.count).toBe(0);
    expect(sut.signedIn()).toBe(false);
    expect(sut.problem()).toBeUndefined();
  });

  it('should load the OIDC client once, at sign-in, and remember that the tab signed in', async () => {
    const steps: string[] = [];
    const { sut, loads } = setup(steps, async () => undefined, { signedInBefore: false });
    await sut.start();
    sut.signIn();
    sut.signIn();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loads.count).toBe(1);
    expect(steps).toEqual(['authorize', 'authorize']);
  });

  it('should load the OIDC client for a page coming back from the provider', async () => {
    history.pushState(null, '', '/?code=abc&state=xyz');
    try {
      const { sut, loads } = setup([], async () => undefined, { signedInBefore: false });
      await sut.start();
      expect(loads.count).toBe(1);
      expect(sessionStorage.getItem(SESSION_MARK)).toBe('1');
    } finally {
      history.pushState(null, '', '/');
    }
  });

  it('should restore the session of a tab that signed in before', async () => {
    const { sut, loads } = setup([], async () => undefined);
    await sut.start();
    expect(loads.count).toBe(1);
    expect(sut.signedIn()).toBe(true);
    expect(sessionStorage.getItem(SESSION_MARK)).toBe('1');
  });

  it('should name the signed-in principal by the access token’s issuer and subject', async () => {
    const { sut } = setup([], async () => undefined);
    await sut.start();
    expect(sut.principal()).toEqual({ issuer: 'https://idp.example', subject: 'alice' });
    expect(sut.scopes()).toEqual(['uploads:read', 'uploads:write']);
  });

  it('should finish the sign-out tasks before ending the session', async () => {
    const steps: string[] = [];
    let finish!: () => void;
    const { sut } = setup(
      steps,
      () => new Promise<void>((resolve) => (finish = () => (steps.push('task'), resolve()))),
    );
    await sut.start();
    sut.signOut();
    await Promise.resolve();
    expect(steps).toEqual([]);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(steps).toEqual(['task', 'revoke', 'logoff']);
    expect(sessionStorage.getItem(SESSION_MARK)).toBeNull();
  });

  it('should sign out once however often it is asked', async () => {
    const steps: string[] = [];
    const { sut } = setup(steps, async () => void steps.push('task'));
    await sut.start();
    sut.signOut();
    sut.signOut();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(steps).toEqual(['task', 'revoke', 'logoff']);
    expect(sut.signingOut()).toBe(true);
  });
});
