import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@dropgate/shared/api-contract';
import { ButtonComponent } from '@dropgate/web/ui-button';
import { fromDateTimeLocal, toDateTimeLocal } from './date-time-local';
import { WebhookApiError } from './webhook-api-error';
import { HEALTH_LABELS, healthOf } from './webhook-text';
import { WebhooksApi } from './webhooks.api';

/** What a row could not do, for the page to say (or to act on, by its code). */
export interface RowFailure {
  message: string;
  error: Error;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One endpoint as a table row: its URL, events and secret hint, its health, an Enabled switch, and
 * Deliveries, Test, Rotate secret, Recover and Delete. Delete and Rotate ask a second time and
 * Recover asks for a time, in the row, with the focus moved there.
 */
@Component({
  selector: 'tr[dg-webhook-endpoint]',
  imports: [ButtonComponent, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './endpoint-row.component.html',
  styleUrl: './endpoint-row.component.css',
  host: { 'data-testid': 'endpoint-row', '[attr.data-health]': 'healthOf(endpoint())' },
})
export class EndpointRowComponent {
  readonly endpoint = input.required<WebhookEndpoint>();
  /** Whether its deliveries show (below the row). */
  readonly open = input(false);
  readonly toggleDeliveries = output();
  readonly updated = output<WebhookEndpoint>();
  /** A new secret, which the API shows this once. */
  readonly rotated = output<WebhookEndpointWithSecret>();
  readonly deleted = output();
  /** A test or a recovery queued deliveries: words for the live region. */
  readonly queued = output<string>();
  readonly announce = output<string>();
  readonly failed = output<RowFailure>();

  private readonly api = inject(WebhooksApi);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly confirming = signal<'delete' | 'rotate' | undefined>(undefined);
  protected readonly recovering = signal(false);
  protected readonly recoverSince = signal('');
  protected readonly recoverError = signal('');
  protected readonly healthOf = healthOf;
  protected readonly healthLabels = HEALTH_LABELS;

  protected setEnabled(box: HTMLInputElement): void {
    const { id, url, enabled: was } = this.endpoint();
    const enabled = box.checked;
    this.api.updateEndpoint(id, { enabled }).subscribe({
      next: (updated) => {
        this.updated.emit(updated);
        this.announce.emit(`${url} ${enabled ? 'enabled' : 'disabled'}`);
      },
      error: (error: Error) => {
        box.checked = was;
        this.fail(`${url} could not be ${enabled ? 'enabled' : 'disabled'}: ${error.message}`, error);
      },
    });
  }

  protected test(): void {
    const { id, url } = this.endpoint();
    this.api.test(id).subscribe({
      next: () => this.queued.emit(`Test event queued for ${url}`),
      error: (error: Error) => this.fail(`${url} could not be tested: ${error.message}`, error),
    });
  }

  /** Shows the second press in the row, and moves the focus to it for keyboard users. */
  protected ask(action: 'delete' | 'rotate'): void {
    this.recovering.set(false);
    this.confirming.set(action);
    this.focus('button[data-confirm]');
  }

  protected keep(): void {
    const action = this.confirming();
    this.confirming.set(undefined);
    this.focus(`button[data-action=${action}]`);
  }

  protected remove(): void {
    const { id, url } = this.endpoint();
    this.confirming.set(undefined);
    this.api.deleteEndpoint(id).subscribe({
      next: () => {
        this.announce.emit(`Endpoint ${url} deleted`);
        this.deleted.emit();
      },
      error: (error: Error) => this.fail(`${url} could not be deleted: ${error.message}`, error),
    });
  }

  protected rotate(): void {
    const { id, url } = this.endpoint();
    this.confirming.set(undefined);
    this.api.rotateSecret(id).subscribe({
      next: (rotated) => {
        this.announce.emit(`New secret for ${url}`);
        this.rotated.emit(rotated);
      },
      error: (error: Error) => {
        // 409: the last rotation's grace period lasts; the API says until when.
        const inGrace = error instanceof WebhookApiError && error.has('webhook.rotation_in_progress');
        this.fail(
          inGrace
            ? `The secret of ${url} was not rotated. ${error.message}`
            : `The secret of ${url} could not be rotated: ${error.message}`,
          error,
        );
        this.focus('button[data-action=rotate]');
      },
    });
  }

  /** Offers a time to recover from: when the endpoint began failing, or else a day ago. */
  protected askToRecover(): void {
    const failingSince = this.endpoint().health.failingSince;
    this.confirming.set(undefined);
    this.recoverSince.set(
      toDateTimeLocal(failingSince ? new Date(failingSince) : new Date(Date.now() - DAY_MS)),
    );
    this.recoverError.set('');
    this.recovering.set(true);
    this.focus('input[type=datetime-local]');
  }

  protected cancelRecover(): void {
    this.recovering.set(false);
    this.focus('button[data-action=recover]');
  }

  protected recover(): void {
    const { id, url } = this.endpoint();
    const since = fromDateTimeLocal(this.recoverSince());
    this.recoverError.set(since ? '' : 'Choose a date and time');
    if (!since) {
      this.focus('input[type=datetime-local]');
      return;
    }
    this.api.recover(id, since).subscribe({
      next: ({ queued }) => {
        this.recovering.set(false);
        this.queued.emit(`${queued} ${queued === 1 ? 'delivery' : 'deliveries'} to ${url} queued again`);
        this.focus('button[data-action=recover]');
      },
      error: (error: Error) => this.fail(`${url} could not be recovered: ${error.message}`, error),
    });
  }

  private fail(message: string, error: Error): void {
    this.failed.emit({ message, error });
  }

  private focus(selector: string): void {
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>(selector)?.focus(), {
      injector: this.injector,
    });
  }
}
