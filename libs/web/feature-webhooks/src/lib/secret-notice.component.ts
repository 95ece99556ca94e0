import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { DOCUMENT, DatePipe } from '@angular/common';
import { ButtonComponent } from '@dropgate/web/ui-button';

/**
 * An endpoint's signing secret, the one time the API shows it (at registration and rotation), with
 * a Copy button. Dismissing it forgets it: nothing else on the page holds it.
 */
@Component({
  selector: 'dg-webhook-secret',
  imports: [ButtonComponent, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="secret" aria-labelledby="webhook-secret-heading">
      <h2 id="webhook-secret-heading" tabindex="-1">Signing secret for {{ url() }}</h2>
      <p class="warning">Copy it now: you will not see it again.</p>
      <p class="help">
        Receivers check each delivery's <code>webhook-signature</code> with it (Standard Webhooks).
        @if (previousUntil(); as until) {
          The previous secret also signs deliveries until
          <time [attr.datetime]="until">{{ until | date: 'medium' }}</time>.
        }
      </p>
      <div class="value">
        <code data-testid="secret" #value>{{ secret() }}</code>
        <button dg-button type="button" (click)="copy(value)">Copy</button>
        <span class="copied" aria-live="polite">{{ copied() }}</span>
      </div>
      <div>
        <button dg-button variant="primary" type="button" (click)="done.emit()">Done</button>
      </div>
    </section>
  `,
  styles: `
    .secret {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: 16px;
      border: 1px solid var(--dg-border-strong);
      border-radius: 12px;
      background: var(--dg-primary-soft);
    }
    h2 {
      margin: 0;
      font-size: 1.0625rem;
      overflow-wrap: anywhere;
    }
    p {
      margin: 0;
    }
    .warning {
      font-weight: 650;
    }
    .help,
    .copied {
      font-size: 0.875rem;
      color: var(--dg-muted);
    }
    .value {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
    }
    .value code {
      padding: 6px 10px;
      border-radius: 8px;
      background: var(--dg-surface);
      border: 1px solid var(--dg-border);
      overflow-wrap: anywhere;
      min-width: 0;
    }
  `,
})
export class SecretNoticeComponent {
  readonly url = input.required<string>();
  readonly secret = input.required<string>();
  /** After a rotation: until when the previous secret still signs. */
  readonly previousUntil = input<string | undefined>(undefined);
  readonly done = output();

  protected readonly copied = signal('');
  private readonly document = inject(DOCUMENT);

  protected copy(value: HTMLElement): void {
    const clipboard = this.document.defaultView?.navigator.clipboard;
    const selectIt = () => {
      this.document.getSelection()?.selectAllChildren(value);
      this.copied.set('Could not copy: the secret is selected, copy it with your keyboard');
    };
    if (!clipboard) return selectIt();
    clipboard.writeText(this.secret()).then(() => this.copied.set('Copied'), selectIt);
  }
}
