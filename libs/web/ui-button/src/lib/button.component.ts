import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** The one button style: `<button dg-button>` (quiet) or `<button dg-button variant="primary">`. */
@Component({
  selector: 'button[dg-button], a[dg-button]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<ng-content />',
  host: { '[class.primary]': 'variant() === "primary"' },
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font: inherit;
      font-size: 0.8125rem;
      font-weight: 600;
      padding: 7px 12px;
      border-radius: 8px;
      border: 1px solid var(--dg-border-strong);
      background: var(--dg-surface);
      color: var(--dg-text);
      cursor: pointer;
      white-space: nowrap;
      text-decoration: none;
    }
    :host(:hover:not(:disabled)) {
      background: var(--dg-subtle);
    }
    :host(.primary) {
      border-color: var(--dg-primary);
      background: var(--dg-primary);
      color: #fff;
    }
    :host(.primary:hover:not(:disabled)) {
      background: var(--dg-primary-strong);
    }
    :host(:disabled) {
      opacity: 0.5;
      cursor: default;
    }
    :host(:focus-visible) {
      outline: 3px solid var(--dg-focus-ring);
      outline-offset: 2px;
    }
  `,
})
export class ButtonComponent {
  readonly variant = input<'quiet' | 'primary'>('quiet');
}
