import { ProblemException } from '@dropgate/api/util-http';

/** 503 `storage.unavailable`: the bucket could not be reached; nothing was changed. */
export function storageUnavailable(reason: string): ProblemException {
  return ProblemException.unavailable(
    'storage-unavailable',
    'Storage unavailable',
    'storage.unavailable',
    `Storage cannot be reached right now (${reason}); try again shortly`,
  );
}

/** Runs an S3 call; one that fails for any reason but the answer itself becomes a 503. */
export async function orStorageUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProblemException) throw error;
    throw storageUnavailable((error as { name?: string }).name ?? 'error');
  }
}
