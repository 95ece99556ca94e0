import { MemoryResumeStore, type ResumePoint } from './resume-store';
import { clearResumePoints } from './clear-at-sign-out';

const point = (owner: string, fingerprint: string): ResumePoint => ({
  owner,
  fingerprint,
  recordId: `rec-${owner}-${fingerprint}`,
  partSize: 4,
  fileName: fingerprint,
  size: 8,
  savedAt: 0,
});

describe('clearResumePoints', () => {
  it('should cancel and forget the person’s points, and leave everyone else’s', async () => {
    const store = new MemoryResumeStore();
    await store.put(point('alice', 'a.bin'));
    await store.put(point('alice', 'b.bin'));
    await store.put(point('bob', 'a.bin'));
    const canceled: string[] = [];
    await clearResumePoints(store, 'alice', async (id) => canceled.push(id));
    expect(canceled.sort()).toEqual(['rec-alice-a.bin', 'rec-alice-b.bin']);
    expect(await store.list('alice')).toEqual([]);
    expect((await store.list('bob')).map((p) => p.recordId)).toEqual(['rec-bob-a.bin']);
  });

  it('should forget the points even when the API cannot be reached', async () => {
    const store = new MemoryResumeStore();
    await store.put(point('alice', 'a.bin'));
    await clearResumePoints(store, 'alice', () => Promise.reject(new Error('offline')));
    expect(await store.list('alice')).toEqual([]);
  });
});
