import type { Routes } from '@angular/router';
import { MyUploadsPageComponent } from './my-uploads-page.component';

export const myUploadsRoutes: Routes = [
  { path: '', component: MyUploadsPageComponent, title: 'My uploads · Dropgate' },
];
