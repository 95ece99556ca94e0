import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { formatBytes, percentOf, type UploadItem } from '@dropgate/web/data-access-uploads';
import { ButtonComponent } from '@dropgate/web/ui-button';

/** One file in the queue: what it is, where it stands, and what can be done about it. */
@Component({
  selector: '[dg-upload-item]',
  imports: [ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './upload-item.component.html',
  styleUrl: './upload-item.component.css',
  host: { '[attr.data-status]': 'item().state.status' },
})
export class UploadItemComponent {
  readonly item = input.required<UploadItem>();
  readonly cancelUpload = output<void>();
  readonly pauseUpload = output<void>();
  readonly resumeUpload = output<void>();
  readonly startOver = output<void>();
  readonly retryUpload = output<void>();
  readonly removeUpload = output<void>();
  readonly downloadUpload = output<void>();

  protected readonly copied = signal(false);
  /** A file typed as an image that the browser cannot draw gets the generic icon instead. */
  protected readonly previewFailed = signal(false);
  protected readonly formatBytes = formatBytes;
  protected readonly state = computed(() => this.item().state);
  protected readonly percent = computed(() => {
    const state = this.state();
    if (state.status === 'done') return 100;
    if (state.status === 'resumable') return percentOf(state.storedBytes, state.total);
    if (state.status !== 'uploading' && state.status !== 'paused') return 0;
    return percentOf(state.loaded, state.total);
  });
  protected readonly canCancel = computed(() =>
    ['queued', 'signing', 'uploading', 'paused', 'resumable', 'scanning'].includes(this.state().status),
  );
  protected readonly canPause = computed(() =>
    ['queued', 'signing', 'uploading'].includes(this.state().status),
  );
  protected readonly canResume = computed(() => ['paused', 'resumable'].includes(this.state().status));
  protected readonly canRetry = computed(() => ['failed', 'canceled'].includes(this.state().status));

  protected async copyKey(key: string): Promise<void> {
    await navigator.clipboard?.writeText(key);
    this.copied.set(true);
    setTimeout(() => this.copied.set(false), 2000);
  }
}
