import type { Routes } from '@angular/router';
import { provideUploads } from '@dropgate/web/data-access-uploads';
import { UploadPageComponent } from './upload-page.component';

export const uploadRoutes: Routes = [
  {
    path: '',
    component: UploadPageComponent,
    providers: [provideUploads()],
    title: 'Upload files · Dropgate',
  },
];
