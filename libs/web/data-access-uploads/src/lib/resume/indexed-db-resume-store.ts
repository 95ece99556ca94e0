import { Injectable } from '@angular/core';
import { MemoryResumeStore, ResumeStore, type ResumePoint } from './resume-store';

const DATABASE = 'dropgate-uploads';
const STORE = 'resume-points';

/** Resume points in IndexedDB, which outlives a reload or a crash of the tab. */
@Injectable()
export class IndexedDbResumeStore extends ResumeStore {
  private database?: Promise<IDBDatabase | undefined>;
  /** Used when IndexedDB cannot be opened (a private window in some browsers). */
  private readonly fallback = new MemoryResumeStore();

  async get(fingerprint: string): Promise<ResumePoint | undefined> {
    const db = await this.open();
    if (!db) return this.fallback.get(fingerprint);
    return request<ResumePoint | undefined>(db.transaction(STORE).objectStore(STORE).get(fingerprint));
  }

  async list(): Promise<ResumePoint[]> {
    const db = await this.open();
    if (!db) return this.fallback.list();
    return request<ResumePoint[]>(db.transaction(STORE).objectStore(STORE).getAll());
  }

  async put(point: ResumePoint): Promise<void> {
    const db = await this.open();
    if (!db) return this.fallback.put(point);
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(point));
  }

  async delete(fingerprint: string): Promise<void> {
    const db = await this.open();
    if (!db) return this.fallback.delete(fingerprint);
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(fingerprint));
  }

  private open(): Promise<IDBDatabase | undefined> {
    this.database ??= new Promise((resolve) => {
      if (typeof indexedDB === 'undefined') return resolve(undefined);
      const opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'fingerprint' });
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => resolve(undefined);
    });
    return this.database;
  }
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error);
  });
}
