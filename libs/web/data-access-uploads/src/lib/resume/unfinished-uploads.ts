import { Injectable, inject, signal } from '@angular/core';
import { ResumePoints, type UnfinishedUpload } from './resume-points';
import type { ResumePoint } from './resume-store';

/** Large uploads an earlier visit left unfinished, for the upload page to mention. */
@Injectable()
export class UnfinishedUploads {
  private readonly resumePoints = inject(ResumePoints);

  /** Those storage still holds in part; empty until `load()` has asked. */
  readonly list = signal<UnfinishedUpload[]>([]);

  /** Asks the API about every remembered upload, dropping those it no longer has pending. */
  load(): void {
    this.resumePoints.unfinished().then(
      (found) => this.list.set(found),
      () => this.list.set([]),
    );
  }

  /** Cancels an earlier visit's unfinished upload, at storage too, and forgets it. */
  discard(point: ResumePoint): void {
    this.list.update((list) => list.filter((u) => u.point.fingerprint !== point.fingerprint));
    void this.resumePoints.discard(point);
  }
}
