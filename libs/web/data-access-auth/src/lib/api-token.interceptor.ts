import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { catchError, switchMap, take, throwError } from 'rxjs';
import { API_BASE_URL, isApiUrl } from '@dropgate/web/util-api';
import { WITHOUT_TOKEN } from './auth-config.source';
import { AuthSession } from './auth-session';

/**
 * Adds the access token to requests for the Dropgate API, and to nothing else: uploads go to
 * storage with their signed policy, never with a bearer token. A 401 from the API ends the session.
 */
export const apiTokenInterceptor: HttpInterceptorFn = (request, next) => {
  const pageUrl = inject(DOCUMENT).baseURI;
  if (request.context.get(WITHOUT_TOKEN) || !isApiUrl(request.url, inject(API_BASE_URL), pageUrl)) {
    return next(request);
  }
  const session = inject(AuthSession);
  return session.accessToken().pipe(
    take(1),
    switchMap((token) =>
      next(token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request),
    ),
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401) session.markEnded();
      return throwError(() => error);
    }),
  );
};
