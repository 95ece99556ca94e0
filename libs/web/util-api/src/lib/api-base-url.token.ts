import { InjectionToken } from '@angular/core';

/** Where the Dropgate API lives; `/api` on the page's own origin unless provided otherwise. */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', { factory: () => '/api' });
