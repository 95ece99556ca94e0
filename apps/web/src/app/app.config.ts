import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { appRoutes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // The XHR backend (the default) reports upload progress; withFetch() would not.
    provideHttpClient(),
    provideRouter(appRoutes, withComponentInputBinding()),
  ],
};
