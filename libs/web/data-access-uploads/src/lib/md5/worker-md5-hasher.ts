import { Injectable, type OnDestroy } from '@angular/core';
import { Md5Hasher } from './md5-hasher';
import type { Md5Job, Md5Result } from './md5-messages';

/**
 * MD5 in a Web Worker (hash-wasm, incremental), so that hashing a part never stalls the page.
 * One worker, started on first use; jobs queue in it.
 */
@Injectable()
export class WorkerMd5Hasher extends Md5Hasher implements OnDestroy {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(md5: string): void; reject(error: Error): void }>();

  md5(blob: Blob): Promise<string> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, blob } satisfies Md5Job);
    });
  }

  ngOnDestroy(): void {
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error('MD5 worker stopped'));
    this.pending.clear();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./md5.worker', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }: MessageEvent<Md5Result>) => {
      const job = this.pending.get(data.id);
      this.pending.delete(data.id);
      if ('md5' in data) job?.resolve(data.md5);
      else job?.reject(new Error(`MD5 failed: ${data.error}`));
    };
    worker.onerror = (event) => {
      for (const { reject } of this.pending.values())
        reject(new Error(`MD5 worker failed: ${event.message}`));
      this.pending.clear();
      this.worker = undefined;
    };
    this.worker = worker;
    return worker;
  }
}
