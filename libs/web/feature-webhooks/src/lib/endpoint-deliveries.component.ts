import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  output,
  signal,
  type OnInit,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import type { Subscription } from 'rxjs';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
  type WebhookDeliveryPage,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
} from '@dropgate/shared/api-contract';
import { ButtonComponent } from '@dropgate/web/ui-button';
import { DeliveryAttemptsComponent } from './delivery-attempts.component';
import { WebhookApiError } from './webhook-api-error';
import { DELIVERY_STATUS_LABELS } from './webhook-text';
import { WebhooksApi } from './webhooks.api';

/** How often the list is asked again while a delivery is due. */
export const POLL_MS = 1_500;
/** A pending delivery due within this is watched; one due later (a retry hours away) is not. */
const WATCH_AHEAD_MS = 60_000;

/**
 * One endpoint's deliveries, newest first: status, event type, attempts and times, each with its
 * attempts on request and a Replay button. While a delivery is due the list asks again every
 * POLL_MS, and says (through `announce`) when one is delivered or fails.
 */
@Component({
  selector: 'dg-webhook-deliveries',
  imports: [ButtonComponent, DatePipe, DeliveryAttemptsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './endpoint-deliveries.component.html',
  styleUrl: './endpoint-deliveries.component.css',
})
export class EndpointDeliveriesComponent implements OnInit {
  readonly endpoint = input.required<WebhookEndpoint>();
  /** Words for the page's live region. */
  readonly announce = output<string>();
  /** A delivery was attempted since the last look, so the endpoint's health may have moved. */
  readonly attempted = output();

  private readonly api = inject(WebhooksApi);
  protected readonly items = signal<WebhookDelivery[]>([]);
  protected readonly nextCursor = signal<string | undefined>(undefined);
  protected readonly loading = signal(false);
  protected readonly error = signal('');
  protected readonly status = signal<WebhookDeliveryStatus | ''>('');
  protected readonly openId = signal<string | undefined>(undefined);
  protected readonly detail = signal<WebhookDeliveryDetail | undefined>(undefined);
  protected readonly labels = DELIVERY_STATUS_LABELS;
  protected readonly statuses = WEBHOOK_DELIVERY_STATUSES;
  protected readonly idPrefix = computed(() => `deliveries-${this.endpoint().id}`);

  private poll?: ReturnType<typeof setTimeout>;
  private loads?: Subscription;
  /** Whether the list has been shown once: changes are announced from then on, not the history. */
  private seen = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.poll);
      this.loads?.unsubscribe();
    });
  }

  ngOnInit(): void {
    this.refresh();
  }

  /** Asks for the newest page again and merges it in: new deliveries on top, known ones updated. */
  refresh(): void {
    this.fetch(undefined, (page) => {
      const before = new Map(this.items().map((d) => [d.id, d]));
      const fresh = new Map(page.items.map((d) => [d.id, d]));
      const added = page.items.filter((d) => !before.has(d.id));
      this.items.set([...added, ...this.items().map((d) => fresh.get(d.id) ?? d)]);
      if (before.size === 0) this.nextCursor.set(page.nextCursor);
      this.noticeChanges(before, page.items);
    });
  }

  protected loadMore(): void {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.fetch(cursor, (page) => {
      const known = new Set(this.items().map((d) => d.id));
      this.items.update((items) => [...items, ...page.items.filter((d) => !known.has(d.id))]);
      this.nextCursor.set(page.nextCursor);
    });
  }

  protected filter(status: string): void {
    this.status.set(status as WebhookDeliveryStatus | '');
    // Another list: what it holds is history, not news.
    this.seen = false;
    this.items.set([]);
    this.nextCursor.set(undefined);
    this.openId.set(undefined);
    this.refresh();
  }

  protected toggleAttempts(delivery: WebhookDelivery): void {
    if (this.openId() === delivery.id) {
      this.openId.set(undefined);
      return;
    }
    this.openId.set(delivery.id);
    this.detail.set(undefined);
    this.loadDetail(delivery.id);
  }

  protected replay(delivery: WebhookDelivery): void {
    this.api.replay(delivery.id).subscribe({
      next: (detail) => {
        this.items.update((items) => items.map((d) => (d.id === detail.id ? detail : d)));
        if (this.openId() === detail.id) this.detail.set(detail);
        this.announce.emit(`${delivery.eventType} queued again with webhook-id ${delivery.eventId}`);
        // A fast receiver may have been sent it before this answer was read: no later poll will
        // see the change, so it is told now.
        if (detail.status !== 'pending') this.announce.emit(describeChange(detail) ?? '');
        this.schedulePoll();
      },
      error: (error: Error) => {
        if (error instanceof WebhookApiError && error.has('webhook.delivery_not_found')) {
          this.items.update((items) => items.filter((d) => d.id !== delivery.id));
        }
        this.error.set(`The delivery could not be replayed: ${error.message}`);
      },
    });
  }

  private fetch(cursor: string | undefined, apply: (page: WebhookDeliveryPage) => void): void {
    clearTimeout(this.poll);
    this.loads?.unsubscribe();
    this.loading.set(true);
    this.loads = this.api
      .deliveries(this.endpoint().id, { status: this.status() || undefined, cursor })
      .subscribe({
        next: (page) => {
          this.loading.set(false);
          this.error.set('');
          apply(page);
          this.schedulePoll();
        },
        error: (error: Error) => {
          this.loading.set(false);
          this.error.set(`The deliveries could not be loaded: ${error.message}`);
        },
      });
  }

  /** Announces deliveries that settled or were tried again since the last look; refreshes their attempts. */
  private noticeChanges(before: ReadonlyMap<string, WebhookDelivery>, now: readonly WebhookDelivery[]): void {
    let attempted = !this.seen;
    for (const delivery of now) {
      const was = before.get(delivery.id);
      const tried = was ? delivery.attempts > was.attempts || delivery.status !== was.status : this.seen;
      if (!tried) continue;
      attempted = true;
      const change = this.seen && describeChange(delivery);
      if (change) this.announce.emit(change);
      if (this.openId() === delivery.id) this.loadDetail(delivery.id);
    }
    this.seen = true;
    if (attempted) this.attempted.emit();
  }

  private loadDetail(id: string): void {
    this.api.delivery(id).subscribe({
      next: (detail) => this.openId() === id && this.detail.set(detail),
      error: (error: Error) => this.error.set(`The attempts could not be loaded: ${error.message}`),
    });
  }

  private schedulePoll(): void {
    clearTimeout(this.poll);
    const due = this.items().some(
      (d) =>
        d.status === 'pending' &&
        (!d.nextAttemptAt || Date.parse(d.nextAttemptAt) - Date.now() < WATCH_AHEAD_MS),
    );
    if (due) this.poll = setTimeout(() => this.refresh(), POLL_MS);
  }
}

/** What became of a delivery, in words; nothing for one only queued (its sender already said so). */
function describeChange(delivery: WebhookDelivery): string | undefined {
  if (delivery.status !== 'pending') {
    return `${delivery.eventType} ${DELIVERY_STATUS_LABELS[delivery.status].toLowerCase()}`;
  }
  return delivery.attempts === 0
    ? undefined
    : `${delivery.eventType}: attempt ${delivery.attempts} failed, to be retried`;
}
