/** What is kept of a multipart upload so that it can be resumed after a reload or a crash. */
export interface ResumePoint {
  /** `fileFingerprint()` of the file. */
  fingerprint: string;
  /** The upload's record at the API (which holds storage's UploadId). */
  recordId: string;
  partSize: number;
  fileName: string;
  size: number;
  savedAt: number;
}

/** Resume points by file fingerprint. The browser keeps them in IndexedDB; tests, in memory. */
export abstract class ResumeStore {
  abstract get(fingerprint: string): Promise<ResumePoint | undefined>;
  abstract list(): Promise<ResumePoint[]>;
  abstract put(point: ResumePoint): Promise<void>;
  abstract delete(fingerprint: string): Promise<void>;
}

/** In memory: for tests, and for browsers where IndexedDB is unavailable (resume then lasts a page). */
export class MemoryResumeStore extends ResumeStore {
  private readonly points = new Map<string, ResumePoint>();

  async get(fingerprint: string) {
    return this.points.get(fingerprint);
  }
  async list() {
    return [...this.points.values()];
  }
  async put(point: ResumePoint) {
    this.points.set(point.fingerprint, point);
  }
  async delete(fingerprint: string) {
    this.points.delete(fingerprint);
  }
}
