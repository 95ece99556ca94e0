import { ChangeDetectionStrategy, Component, computed, inject, type OnInit } from '@angular/core';
import { DropzoneComponent } from '@dropgate/web/ui-dropzone';
import { UploadQueue, formatBytes } from '@dropgate/web/data-access-uploads';
import { UploadItemComponent } from './upload-item.component';

/** The upload screen: a drop zone, the queue with per-file progress, and overall progress. */
@Component({
  selector: 'dg-upload-page',
  imports: [DropzoneComponent, UploadItemComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './upload-page.component.html',
  styleUrl: './upload-page.component.css',
})
export class UploadPageComponent implements OnInit {
  protected readonly queue = inject(UploadQueue);
  protected readonly items = this.queue.items;
  protected readonly summary = this.queue.summary;
  protected readonly limits = computed(() => {
    const config = this.queue.config();
    if (!config) return '';
    const types = config.allowedTypes.map(describeType).join(', ');
    return `Up to ${formatBytes(config.maxFileSize)} per file · ${types}`;
  });

  ngOnInit(): void {
    this.queue.loadConfig();
  }
}

/** `image/*` → `images`, `application/pdf` → `PDF`, long vendor types → their last word. */
function describeType(type: string): string {
  const [family, subtype] = type.split('/');
  if (subtype === '*') return `${family}s`;
  const short = subtype.split(/[.+-]/).pop() ?? subtype;
  const names: Record<string, string> = {
    document: 'Word',
    sheet: 'Excel',
    presentation: 'PowerPoint',
    plain: 'text',
  };
  return names[short] ?? short.toUpperCase();
}
