import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthSession } from './auth-session';

/** Pages for signed-in people; others see the sign-in screen. */
export const signedInGuard: CanActivateFn = () =>
  inject(AuthSession).signedIn() || inject(AuthSession).ended() || inject(Router).createUrlTree(['/sign-in']);

/** The sign-in screen, for people who are not signed in yet. */
export const signedOutGuard: CanActivateFn = () =>
  !inject(AuthSession).signedIn() || inject(Router).createUrlTree(['/']);
