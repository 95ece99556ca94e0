import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { DatePipe } from '@angular/common';
import type { WebhookDeliveryDetail } from '@dropgate/shared/api-contract';
import { attemptResult } from './webhook-text';

/** One delivery's attempts, oldest first: when, how long, what came back; and the body it sends. */
@Component({
  selector: 'dg-webhook-attempts',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let d = detail();
    <p class="id">
      webhook-id <code data-testid="webhook-id">{{ d.eventId }}</code>
    </p>
    @if (d.attemptLog.length === 0) {
      <p class="none">Not sent yet.</p>
    } @else {
      <ol class="log" aria-label="Attempts">
        @for (attempt of d.attemptLog; track $index) {
          <li data-testid="attempt" [attr.data-outcome]="attempt.outcome">
            <span class="result">{{ result(attempt) }}</span>
            <span class="muted">
              <time [attr.datetime]="attempt.at">{{ attempt.at | date: 'medium' }}</time>
              · {{ attempt.durationMs }} ms
            </span>
            @if (attempt.error) {
              <span class="error">{{ attempt.error }}</span>
            }
            @if (attempt.responseBody) {
              <details>
                <summary>Response (first 1 KiB)</summary>
                <pre>{{ attempt.responseBody }}</pre>
              </details>
            }
          </li>
        }
      </ol>
    }
    <details>
      <summary>Body sent</summary>
      <pre>{{ d.body }}</pre>
    </details>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      font-size: 0.8125rem;
      min-width: 0;
    }
    p {
      margin: 0;
    }
    code {
      overflow-wrap: anywhere;
    }
    .log {
      margin: 0;
      padding-left: 1.25rem;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    li > span {
      margin-right: 8px;
    }
    .result {
      font-weight: 600;
    }
    .muted,
    .none {
      color: var(--dg-muted);
    }
    .error {
      display: block;
      color: var(--dg-danger-text);
    }
    pre {
      margin: 4px 0 0;
      padding: 8px;
      max-height: 12rem;
      overflow: auto;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: var(--dg-subtle);
      border-radius: 8px;
    }
    summary {
      cursor: pointer;
    }
  `,
})
export class DeliveryAttemptsComponent {
  readonly detail = input.required<WebhookDeliveryDetail>();
  protected readonly result = attemptResult;
}
