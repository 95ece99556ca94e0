import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * The one banner: a message across the page, with room for an action after it. `danger` for
 * what went wrong, `notice` for what the person should do next. It is an alert for screen readers.
 */
@Component({
  selector: 'dg-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<ng-content />',
  host: { role: 'alert', '[class]': 'tone()' },
  styles: `
    :host {
      display: flex;
      gap: 12px;
      align-items: center;
      justify-content: space-between;
      padding: 12px 16px;
      border-radius: 12px;
      border: 1px solid var(--dg-danger-border);
      background: var(--dg-danger-soft);
      color: var(--dg-danger-text);
    }
    :host(.notice) {
      border-color: var(--dg-border-strong);
      background: var(--dg-primary-soft);
      color: var(--dg-text);
    }
  `,
})
export class BannerComponent {
  readonly tone = input<'danger' | 'notice'>('danger');
}
