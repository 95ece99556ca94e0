import type { Injector } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { UploadRecordsApi } from '../upload-records.api';
import { IndexedDbResumeStore } from './indexed-db-resume-store';
import { RESUME_OWNER } from './resume-owner';
import type { ResumeStore } from './resume-store';

/**
 * Cancels each upload remembered for `owner` at the API (no one can resume it once its point is
 * gone, and a pending record holds quota), then forgets them all.
 */
export async function clearResumePoints(
  store: ResumeStore,
  owner: string | undefined,
  cancel: (recordId: string) => Promise<unknown>,
): Promise<void> {
  if (!owner) return;
  const points = await store.list(owner);
  await Promise.all(points.map((point) => cancel(point.recordId).catch(() => undefined)));
  await store.clear(owner);
}

/**
 * The sign-out task for this browser's resume points: the person's go (canceled at the API), so
 * the next person never sees them. Takes the root injector, as the app loads this code lazily.
 */
export function clearResumePointsAtSignOut(injector: Injector): Promise<void> {
  const records = injector.get(UploadRecordsApi);
  return clearResumePoints(injector.get(IndexedDbResumeStore), injector.get(RESUME_OWNER)(), (id) =>
    firstValueFrom(records.delete(id)),
  );
}
