import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { OidcSecurityService, PublicEventsService } from 'angular-auth-oidc-client';
import { NEVER, of } from 'rxjs';
import { AuthConfigSource } from './auth-config.source';
import { AuthSession } from './auth-session';
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
  };
}

function setup(steps: string[], task: () => Promise<void>) {
  TestBed.configureTestingModule({
    providers: [
      { provide: OidcSecurityService, useValue: fakeOidc(steps) },
      { provide: PublicEventsService, useValue: { registerForEvents: () => NEVER } },
      { provide: AuthConfigSource, useValue: { config$: of({}) } },
      { provide: SIGN_OUT_TASKS, multi: true, useValue: task },
    ],
  });
  return TestBed.inject(AuthSession);
}

describe('AuthSession', () => {
  it('should name the signed-in principal by the access token’s issuer and subject', async () => {
    const sut = setup([], async () => undefined);
    await sut.start();
    expect(sut.principal()).toEqual({ issuer: 'https://idp.example', subject: 'alice' });
    expect(sut.scopes()).toEqual(['uploads:read', 'uploads:write']);
  });

  it('should finish the sign-out tasks before ending the session', async () => {
    const steps: string[] = [];
    let finish!: () => void;
    const sut = setup(
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
  });
});
