import { InjectionToken } from '@angular/core';

/** How many files upload at once. */
export const UPLOAD_CONCURRENCY = new InjectionToken<number>('UPLOAD_CONCURRENCY', { factory: () => 3 });
