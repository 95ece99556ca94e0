import { HttpClient, HttpContext, HttpContextToken } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { shareReplay, type Observable } from 'rxjs';
import type { AuthConfig } from '@dropgate/shared/api-contract';
import { API_BASE_URL } from '@dropgate/web/util-api';

/** Marks a request that must go without a token (the public sign-in settings). */
export const WITHOUT_TOKEN = new HttpContextToken<boolean>(() => false);

/** `GET /api/auth/config`, fetched once: one built app signs in against whichever provider its API trusts. */
@Injectable({ providedIn: 'root' })
export class AuthConfigSource {
  readonly config$: Observable<AuthConfig> = inject(HttpClient)
    .get<AuthConfig>(`${inject(API_BASE_URL)}/auth/config`, {
      context: new HttpContext().set(WITHOUT_TOKEN, true),
    })
    .pipe(shareReplay({ bufferSize: 1, refCount: false }));
}
