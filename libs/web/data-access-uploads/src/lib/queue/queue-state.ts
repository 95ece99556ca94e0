import { Injectable, computed, signal } from '@angular/core';
import type { UploadsConfig } from '@dropgate/shared/api-contract';
import { summarize, type UploadItem } from '../upload-state';
import type { UploadEntry } from './upload-entry';

/** The queue as the screen reads it: the rules, the files (one entry each), the summary, what to say aloud. */
@Injectable()
export class QueueState {
  readonly config = signal<UploadsConfig | undefined>(undefined);
  readonly configError = signal<string | undefined>(undefined);
  readonly entries = signal<readonly UploadEntry[]>([]);
  readonly items = computed((): UploadItem[] => this.entries().map((entry) => entry.item()));
  readonly summary = computed(() => summarize(this.items()));
  /** The latest event worth saying aloud, for an ARIA live region. */
  readonly announcement = signal('');
  private nextId = 1;

  newId(): string {
    return `u${this.nextId++}`;
  }

  add(entries: readonly UploadEntry[]): void {
    this.entries.update((list) => [...list, ...entries]);
  }

  find(id: string): UploadEntry | undefined {
    return this.entries().find((entry) => entry.id === id);
  }

  remove(id: string): void {
    this.entries.update((list) => list.filter((entry) => entry.id !== id));
  }

  announce(message: string): void {
    if (message) this.announcement.set(message);
  }
}
