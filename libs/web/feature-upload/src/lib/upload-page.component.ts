import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
  type OnInit,
} from '@angular/core';
import { DropzoneComponent } from '@dropgate/web/ui-dropzone';
import { ButtonComponent } from '@dropgate/web/ui-button';
import { BannerComponent } from '@dropgate/web/ui-banner';
import {
  UnfinishedUploads,
  UploadQueue,
  UploadRecordsApi,
  formatBytes,
  percentOf,
  type ResumePoint,
  type UploadItem,
} from '@dropgate/web/data-access-uploads';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { describeTypes } from './accepted-types';
import { UploadItemComponent } from './upload-item.component';

/**
 * The upload screen: a drop zone, the queue with per-file progress, and overall progress. When
 * the session ends the queue pauses and the page offers to sign in again in a pop-up, so that no
 * file leaves the list.
 */
@Component({
  selector: 'dg-upload-page',
  imports: [DropzoneComponent, UploadItemComponent, ButtonComponent, BannerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './upload-page.component.html',
  styleUrl: './upload-page.component.css',
})
export class UploadPageComponent implements OnInit {
  protected readonly queue = inject(UploadQueue);
  protected readonly session = inject(AuthSession);
  protected readonly signInProblem = signal('');
  protected readonly waiting = computed(() => this.items().filter((i) => i.state.status === 'queued').length);
  protected readonly items = this.queue.items;
  protected readonly summary = this.queue.summary;
  protected readonly limits = computed(() => {
    const config = this.queue.config();
    if (!config) return '';
    return `Up to ${formatBytes(config.maxFileSize)} per file · ${describeTypes(config.allowedTypes)}`;
  });

  constructor() {
    effect(() => {
      const ended = this.session.ended();
      untracked(() => (ended ? this.queue.pauseForSignIn() : this.queue.resumeAfterSignIn()));
    });
  }

  /** Earlier visits' uploads whose file has not been added again yet. */
  private readonly earlier = inject(UnfinishedUploads);
  protected readonly unfinished = computed(() =>
    this.earlier
      .list()
      .filter(
        ({ point }) =>
          !this.items().some((i) => i.file.name === point.fileName && i.file.size === point.size),
      ),
  );
  protected readonly formatBytes = formatBytes;
  protected discardUnfinished(point: ResumePoint): void {
    this.earlier.discard(point);
  }
  protected readonly percentOf = percentOf;

  ngOnInit(): void {
    this.queue.loadConfig();
    this.earlier.load();
  }

  private readonly records = inject(UploadRecordsApi);
  protected readonly downloadProblem = signal('');

  /** Asks for a short-lived link to the stored file; storage sends it as an attachment. */
  protected download(item: UploadItem): void {
    if (item.state.status !== 'done') return;
    this.downloadProblem.set('');
    this.records.downloadLink(item.state.uploadId).subscribe({
      next: ({ url }) => location.assign(url),
      error: (error: Error) =>
        this.downloadProblem.set(`${item.file.name} could not be downloaded: ${error.message}`),
    });
  }

  protected signInAgain(): void {
    this.signInProblem.set('');
    this.session.signInAgain().subscribe({
      next: (ok) => this.signInProblem.set(ok ? '' : 'Sign-in did not finish — try again.'),
      error: () => this.signInProblem.set('The sign-in window could not open — allow pop-ups and try again.'),
    });
  }
}
