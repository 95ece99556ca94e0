import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { apiTokenInterceptor, provideDropgateAuth } from '@dropgate/web/data-access-auth';
import { appRoutes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // The XHR backend (the default) reports upload progress; withFetch() would not.
    provideHttpClient(withInterceptors([apiTokenInterceptor])),
    provideRouter(appRoutes, withComponentInputBinding()),
    provideDropgateAuth(),
  ],
};
