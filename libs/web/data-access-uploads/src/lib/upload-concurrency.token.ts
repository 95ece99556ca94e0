import { InjectionToken } from '@angular/core';

/**
 * How many transfers (a file's POST, or one part of a large file) are in flight at once, for the
 * whole queue; as many files may be under way, sharing them fairly.
 */
export const UPLOAD_CONCURRENCY = new InjectionToken<number>('UPLOAD_CONCURRENCY', { factory: () => 4 });
