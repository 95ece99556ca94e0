import { InjectionToken } from '@angular/core';

/** Where the Dropgate API lives; `/api` on the same origin unless provided otherwise. */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', { factory: () => '/api' });

/** How many files upload at once. */
export const UPLOAD_CONCURRENCY = new InjectionToken<number>('UPLOAD_CONCURRENCY', { factory: () => 3 });
