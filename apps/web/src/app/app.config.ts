import { type ApplicationConfig, Injector, inject, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { SIGN_OUT_TASKS, apiTokenInterceptor, provideDropgateAuth } from '@dropgate/web/data-access-auth';
import { appRoutes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // The XHR backend (the default) reports upload progress; withFetch() would not.
    provideHttpClient(withInterceptors([apiTokenInterceptor])),
    provideRouter(appRoutes, withComponentInputBinding()),
    provideDropgateAuth(),
    {
      provide: SIGN_OUT_TASKS,
      multi: true,
      // The uploads code loads with the pages that upload, not with the first screen.
      useFactory: () => {
        const injector = inject(Injector);
        return () =>
          import('@dropgate/web/data-access-uploads').then((m) => m.clearResumePointsAtSignOut(injector));
      },
    },
  ],
};
