import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { NgxDropzoneModule, type NgxDropzoneChangeEvent } from 'ngx-dropzone';

/**
 * A drop zone for files: drop them, click it, or focus it with the keyboard and press Enter or
 * Space. Emits every file given; checking them is the caller's job, so refusals can say why.
 * The rest of the app uses this wrapper, never ngx-dropzone itself.
 */
@Component({
  selector: 'dg-dropzone',
  imports: [NgxDropzoneModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ngx-dropzone
      class="zone"
      [disabled]="disabled()"
      [multiple]="true"
      [expandable]="true"
      [aria-label]="label()"
      (change)="onChange($event)"
    >
      <ngx-dropzone-label class="label">
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4 4m4-4 4 4" />
          <path d="M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        <span class="title">{{ label() }}</span>
        <span class="hint"><ng-content /></span>
      </ngx-dropzone-label>
    </ngx-dropzone>
  `,
  styleUrl: './dropzone.component.css',
})
export class DropzoneComponent {
  readonly label = input('Drop files here or click to choose');
  readonly disabled = input(false);
  readonly filesAdded = output<File[]>();

  protected onChange(event: NgxDropzoneChangeEvent | Event): void {
    // ngx-dropzone's inner <input> fires a native `change` event too; if it bubbles to the host it
    // reaches this same binding as a plain Event. Only the component's own event carries files.
    if (!('addedFiles' in event)) return;
    const files = [...event.addedFiles, ...event.rejectedFiles];
    if (files.length > 0) this.filesAdded.emit(files);
  }
}
