import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { UploadUsage } from '@dropgate/shared/api-contract';
import { formatBytes, percentOf } from '@dropgate/web/data-access-uploads';

/** How much of their quota a person uses: a meter when there is a quota, the bytes alone when not. */
@Component({
  selector: 'dg-usage-meter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let u = usage();
    <p class="line" data-testid="usage">
      @if (u.quotaBytes !== undefined) {
        Using {{ formatBytes(u.usedBytes) }} of {{ formatBytes(u.quotaBytes) }}
        <span class="muted">({{ percent() }}%)</span>
      } @else {
        Using {{ formatBytes(u.usedBytes) }} <span class="muted">· no storage limit</span>
      }
    </p>
    @if (u.quotaBytes !== undefined) {
      <div
        class="bar"
        [class.full]="percent() >= 90"
        role="meter"
        aria-label="Storage used"
        aria-valuemin="0"
        [attr.aria-valuemax]="u.quotaBytes"
        [attr.aria-valuenow]="u.usedBytes"
        [attr.aria-valuetext]="percent() + '% of your storage used'"
      >
        <span [style.width.%]="percent()"></span>
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 6px;
      min-width: 0;
      font-size: 0.875rem;
    }
    .line {
      margin: 0;
    }
    .muted {
      color: var(--dg-muted);
    }
    .bar {
      height: 6px;
      border-radius: 999px;
      background: var(--dg-subtle);
      overflow: hidden;
    }
    .bar span {
      display: block;
      height: 100%;
      background: var(--dg-primary);
    }
    .bar.full span {
      background: var(--dg-danger-text);
    }
  `,
})
export class UsageMeterComponent {
  readonly usage = input.required<UploadUsage>();
  protected readonly formatBytes = formatBytes;
  /** Capped at 100: a lowered quota can leave someone above it. */
  protected readonly percent = computed(() => {
    const { usedBytes, quotaBytes } = this.usage();
    if (quotaBytes === undefined) return 0;
    return quotaBytes === 0 ? 100 : Math.min(100, percentOf(usedBytes, quotaBytes));
  });
}
