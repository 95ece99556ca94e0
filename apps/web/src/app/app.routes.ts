import type { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', loadChildren: () => import('@dropgate/web/feature-upload').then((m) => m.uploadRoutes) },
  { path: '**', redirectTo: '' },
];
