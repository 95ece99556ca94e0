/** What is kept of a multipart upload so that it can be resumed after a reload or a crash. */
export interface ResumePoint {
  /** Whose upload it is: `principalKey()` of the person signed in when it began. */
  owner: string;
  /** `fileFingerprint()` of the file. */
  fingerprint: string;
  /** The upload's record at the API (which holds storage's UploadId). */
  recordId: string;
  partSize: number;
  fileName: string;
  size: number;
  savedAt: number;
}

/**
 * Resume points by owner and file fingerprint, so that on a shared computer one person never sees
 * another's. The browser keeps them in IndexedDB; tests, in memory.
 */
export abstract class ResumeStore {
  abstract get(owner: string, fingerprint: string): Promise<ResumePoint | undefined>;
  abstract list(owner: string): Promise<ResumePoint[]>;
  abstract put(point: ResumePoint): Promise<void>;
  abstract delete(owner: string, fingerprint: string): Promise<void>;
  /** Forgets every point of `owner` (at sign-out). */
  abstract clear(owner: string): Promise<void>;
}

/** In memory: for tests, and for browsers where IndexedDB is unavailable (resume then lasts a page). */
export class MemoryResumeStore extends ResumeStore {
  private readonly points = new Map<string, ResumePoint>();

  async get(owner: string, fingerprint: string) {
    return this.points.get(keyOf(owner, fingerprint));
  }
  async list(owner: string) {
    return [...this.points.values()].filter((point) => point.owner === owner);
  }
  async put(point: ResumePoint) {
    this.points.set(keyOf(point.owner, point.fingerprint), point);
  }
  async delete(owner: string, fingerprint: string) {
    this.points.delete(keyOf(owner, fingerprint));
  }
  async clear(owner: string) {
    for (const point of await this.list(owner)) await this.delete(owner, point.fingerprint);
  }
}

const keyOf = (owner: string, fingerprint: string) => JSON.stringify([owner, fingerprint]);
