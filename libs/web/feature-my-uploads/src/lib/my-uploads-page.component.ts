import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  type OnInit,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import type { UploadRecord, UploadStatus, UploadUsage } from '@dropgate/shared/api-contract';
import { UploadRecordsApi, formatBytes } from '@dropgate/web/data-access-uploads';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { ButtonComponent } from '@dropgate/web/ui-button';
import { BannerComponent } from '@dropgate/web/ui-banner';
import { STATUS_LABELS, reasonOf } from './upload-status-text';
import { UsageMeterComponent } from './usage-meter.component';

/** The statuses the API deletes (or, while pending, cancels) an upload in. */
const DELETABLE: ReadonlySet<UploadStatus> = new Set(['pending', 'scanning', 'available', 'held']);

/**
 * "My uploads": the caller's uploads, newest first, a page at a time, with Download (once
 * available) and Delete (confirmed in place), why each rejected, blocked or held one is so, and the
 * caller's usage against their quota. An admin also sees each owner, and may list one owner's or
 * everyone's. Below about 600 px each upload is a card.
 */
@Component({
  selector: 'dg-my-uploads-page',
  imports: [ButtonComponent, BannerComponent, DatePipe, UsageMeterComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './my-uploads-page.component.html',
  styleUrl: './my-uploads-page.component.css',
})
export class MyUploadsPageComponent implements OnInit {
  private readonly api = inject(UploadRecordsApi);
  protected readonly items = signal<UploadRecord[]>([]);
  protected readonly nextCursor = signal<string | undefined>(undefined);
  protected readonly loading = signal(false);
  protected readonly error = signal('');
  protected readonly confirming = signal<string | undefined>(undefined);
  protected readonly announcement = signal('');
  /** Admins: '' for their own, a subject, or '*' for everyone. */
  protected readonly owner = signal('');
  protected readonly formatBytes = formatBytes;
  protected readonly labels = STATUS_LABELS;
  protected readonly reasonOf = reasonOf;
  protected readonly usage = signal<UploadUsage | undefined>(undefined);
  protected readonly usageError = signal('');

  private readonly session = inject(AuthSession);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly isAdmin = computed(() => this.session.scopes().includes('uploads:admin'));
  protected readonly showOwner = computed(() => this.isAdmin() && this.owner() !== '');

  ngOnInit(): void {
    this.load();
    this.loadUsage();
  }

  private loadUsage(): void {
    this.api.usage().subscribe({
      next: (usage) => {
        this.usage.set(usage);
        this.usageError.set('');
      },
      error: (error: Error) => this.usageError.set(`Your storage use could not be loaded: ${error.message}`),
    });
  }

  protected load(more = false): void {
    this.loading.set(true);
    this.error.set('');
    const owner = this.isAdmin() ? this.owner().trim() : '';
    this.api
      .list({ limit: 25, cursor: more ? this.nextCursor() : undefined, owner: owner || undefined })
      .subscribe({
        next: (page) => {
          this.items.update((items) => (more ? [...items, ...page.items] : page.items));
          this.nextCursor.set(page.nextCursor);
          this.loading.set(false);
        },
        error: (error: Error) => {
          this.error.set(`Your uploads could not be loaded: ${error.message}`);
          this.loading.set(false);
        },
      });
  }

  protected filter(owner: string): void {
    this.owner.set(owner);
    this.load();
  }

  protected download(item: UploadRecord): void {
    this.api.downloadLink(item.id).subscribe({
      // The link makes storage send the file as an attachment; the page stays where it is.
      next: ({ url }) => location.assign(url),
      error: (error: Error) => this.error.set(`${item.fileName} could not be downloaded: ${error.message}`),
    });
  }

  /** Shows the confirmation in the row, and moves the focus to it for keyboard users. */
  protected askToDelete(item: UploadRecord): void {
    this.confirming.set(item.id);
    afterNextRender(
      () => this.host.nativeElement.querySelector<HTMLButtonElement>('button[data-confirm]')?.focus(),
      { injector: this.injector },
    );
  }

  protected remove(item: UploadRecord): void {
    this.confirming.set(undefined);
    this.api.delete(item.id).subscribe({
      next: () => {
        const status: UploadStatus = item.status === 'pending' ? 'canceled' : 'deleted';
        this.items.update((items) => items.map((i) => (i.id === item.id ? { ...i, status } : i)));
        this.announcement.set(`${item.fileName} ${status}`);
        this.loadUsage();
      },
      error: (error: Error) => this.error.set(`${item.fileName} could not be deleted: ${error.message}`),
    });
  }

  protected canDelete(item: UploadRecord): boolean {
    return DELETABLE.has(item.status);
  }
}
