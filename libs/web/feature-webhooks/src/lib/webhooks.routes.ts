import type { Routes } from '@angular/router';
import { WebhooksPageComponent } from './webhooks-page.component';

export const webhooksRoutes: Routes = [
  { path: '', component: WebhooksPageComponent, title: 'Webhooks · Dropgate' },
];
