import type { Routes } from '@angular/router';
import { signedOutGuard } from '@dropgate/web/data-access-auth';
import { SignInPageComponent } from './sign-in-page.component';

export const signInRoutes: Routes = [
  { path: '', component: SignInPageComponent, canActivate: [signedOutGuard], title: 'Sign in · Dropgate' },
];
