import { Injectable } from '@angular/core';
import { MemoryResumeStore, ResumeStore, type ResumePoint } from './resume-store';

const DATABASE = 'dropgate-uploads';
/** Version 2 keys points by owner; version 1's points named no owner, so they are dropped. */
const VERSION = 2;
const STORE = 'resume-points';
const BY_OWNER = 'owner';

/** Resume points in IndexedDB, which outlives a reload or a crash of the tab. */
@Injectable({ providedIn: 'root' })
export class IndexedDbResumeStore extends ResumeStore {
  private database?: Promise<IDBDatabase | undefined>;
  /** Used when IndexedDB cannot be opened (a private window in some browsers). */
  private readonly fallback = new MemoryResumeStore();

  async get(owner: string, fingerprint: string): Promise<ResumePoint | undefined> {
    const db = await this.open();
    if (!db) return this.fallback.get(owner, fingerprint);
    return request<ResumePoint | undefined>(
      db.transaction(STORE).objectStore(STORE).get([owner, fingerprint]),
    );
  }

  async list(owner: string): Promise<ResumePoint[]> {
    const db = await this.open();
    if (!db) return this.fallback.list(owner);
    return request<ResumePoint[]>(db.transaction(STORE).objectStore(STORE).index(BY_OWNER).getAll(owner));
  }

  async put(point: ResumePoint): Promise<void> {
    const db = await this.open();
    if (!db) return this.fallback.put(point);
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(point));
  }

  async delete(owner: string, fingerprint: string): Promise<void> {
    const db = await this.open();
    if (!db) return this.fallback.delete(owner, fingerprint);
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete([owner, fingerprint]));
  }

  async clear(owner: string): Promise<void> {
    const db = await this.open();
    if (!db) return this.fallback.clear(owner);
    const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
    const keys = await request<IDBValidKey[]>(store.index(BY_OWNER).getAllKeys(owner));
    await Promise.all(keys.map((key) => request(store.delete(key))));
  }

  private open(): Promise<IDBDatabase | undefined> {
    this.database ??= new Promise((resolve) => {
      if (typeof indexedDB === 'undefined') return resolve(undefined);
      const opening = indexedDB.open(DATABASE, VERSION);
      opening.onupgradeneeded = () => {
        const db = opening.result;
        if (db.objectStoreNames.contains(STORE)) db.deleteObjectStore(STORE);
        db.createObjectStore(STORE, { keyPath: ['owner', 'fingerprint'] }).createIndex(BY_OWNER, 'owner');
      };
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
