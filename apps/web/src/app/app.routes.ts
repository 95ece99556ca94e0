import type { Route } from '@angular/router';
import { signedInGuard } from '@dropgate/web/data-access-auth';

export const appRoutes: Route[] = [
  {
    path: 'sign-in',
    loadChildren: () => import('@dropgate/web/feature-sign-in').then((m) => m.signInRoutes),
  },
  {
    path: 'uploads',
    canActivate: [signedInGuard],
    loadChildren: () => import('@dropgate/web/feature-my-uploads').then((m) => m.myUploadsRoutes),
  },
  {
    // The page itself tells people without webhooks:admin that they may not, and asks the API nothing.
    path: 'webhooks',
    canActivate: [signedInGuard],
    loadChildren: () => import('@dropgate/web/feature-webhooks').then((m) => m.webhooksRoutes),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    loadChildren: () => import('@dropgate/web/feature-upload').then((m) => m.uploadRoutes),
  },
  { path: '**', redirectTo: '' },
];
