import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
  type OnInit,
} from '@angular/core';
import type {
  WebhookEndpoint,
  WebhookEndpointRequest,
  WebhookEndpointWithSecret,
} from '@dropgate/shared/api-contract';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { BannerComponent } from '@dropgate/web/ui-banner';
import { EndpointDeliveriesComponent } from './endpoint-deliveries.component';
import { EndpointFormComponent } from './endpoint-form.component';
import { EndpointRowComponent, type RowFailure } from './endpoint-row.component';
import { SecretNoticeComponent } from './secret-notice.component';
import { WebhookApiError } from './webhook-api-error';
import { WebhooksApi } from './webhooks.api';

/** A secret the API has just shown, for the one time it shows it. */
interface ShownSecret {
  url: string;
  secret: string;
  previousUntil?: string;
}

/**
 * Webhooks, for `webhooks:admin`: register an endpoint (its secret shown once), every endpoint
 * with its health and actions, and one endpoint's deliveries at a time. Anyone else is told they
 * may not, and the API is not asked. Below about 600 px each endpoint is a card.
 */
@Component({
  selector: 'dg-webhooks-page',
  imports: [
    BannerComponent,
    EndpointFormComponent,
    EndpointRowComponent,
    EndpointDeliveriesComponent,
    SecretNoticeComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './webhooks-page.component.html',
  styleUrl: './webhooks-page.component.css',
})
export class WebhooksPageComponent implements OnInit {
  private readonly api = inject(WebhooksApi);
  private readonly session = inject(AuthSession);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly form = viewChild(EndpointFormComponent);
  private readonly deliveries = viewChild(EndpointDeliveriesComponent);
  /** The API refused this token although it seemed to carry the scope. */
  private readonly refused = signal(false);

  protected readonly allowed = computed(
    () => this.session.scopes().includes('webhooks:admin') && !this.refused(),
  );
  protected readonly endpoints = signal<WebhookEndpoint[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal('');
  protected readonly announcement = signal('');
  protected readonly registering = signal(false);
  protected readonly formProblem = signal<WebhookApiError | undefined>(undefined);
  protected readonly secret = signal<ShownSecret | undefined>(undefined);
  /** The endpoint whose deliveries show. */
  protected readonly open = signal<string | undefined>(undefined);

  ngOnInit(): void {
    if (!this.allowed()) return;
    this.loading.set(true);
    this.api.listEndpoints().subscribe({
      next: ({ items }) => {
        this.endpoints.set(items);
        this.loading.set(false);
      },
      error: (error: Error) => {
        this.loading.set(false);
        this.failed({ message: `The endpoints could not be loaded: ${error.message}`, error });
      },
    });
  }

  protected register(request: WebhookEndpointRequest): void {
    this.error.set('');
    this.formProblem.set(undefined);
    this.registering.set(true);
    this.api.createEndpoint(request).subscribe({
      next: (created) => {
        this.registering.set(false);
        this.endpoints.update((items) => [...items, withoutSecret(created)]);
        this.form()?.reset();
        this.showSecret(created);
        this.announcement.set(`Endpoint ${created.url} registered`);
      },
      error: (error: Error) => {
        this.registering.set(false);
        // A refused URL or event list is said beside its field; anything else above the page.
        if (error instanceof WebhookApiError && (error.about('url') || error.about('eventTypes'))) {
          this.formProblem.set(error);
          this.form()?.focusInvalid();
          return;
        }
        this.failed({ message: `The endpoint could not be registered: ${error.message}`, error });
      },
    });
  }

  protected showSecret(endpoint: WebhookEndpointWithSecret): void {
    this.replace(withoutSecret(endpoint));
    this.secret.set({
      url: endpoint.url,
      secret: endpoint.secret,
      previousUntil: endpoint.previousSecretExpiresAt,
    });
    this.focus('#webhook-secret-heading');
  }

  protected dismissSecret(): void {
    this.secret.set(undefined);
    this.focus('#endpoints-heading');
  }

  protected toggleDeliveries(endpoint: WebhookEndpoint): void {
    this.open.update((open) => (open === endpoint.id ? undefined : endpoint.id));
  }

  /** A test or recovery queued deliveries: say so, and show them coming. */
  protected queued(endpoint: WebhookEndpoint, words: string): void {
    this.error.set('');
    this.announcement.set(words);
    // An open list asks again; a closed one loads as it opens.
    if (this.open() === endpoint.id) this.deliveries()?.refresh();
    else this.open.set(endpoint.id);
  }

  protected deleted(endpoint: WebhookEndpoint): void {
    this.drop(endpoint);
    this.focus('#endpoints-heading');
  }

  /** A delivery to this endpoint was attempted, so its health (last success, failures) moved. */
  protected refreshHealth(endpoint: WebhookEndpoint): void {
    this.api.getEndpoint(endpoint.id).subscribe({
      next: (fresh) => this.replace(fresh),
      error: (error: Error) =>
        this.failed({ message: `${endpoint.url} could not be reloaded: ${error.message}`, error }, endpoint),
    });
  }

  protected replace(endpoint: WebhookEndpoint): void {
    this.endpoints.update((items) => items.map((e) => (e.id === endpoint.id ? endpoint : e)));
  }

  /** Says what failed; an endpoint deleted meanwhile leaves the list, a refused token the page. */
  protected failed({ message, error }: RowFailure, endpoint?: WebhookEndpoint): void {
    if (error instanceof WebhookApiError && error.has('auth.insufficient_scope')) {
      this.refused.set(true);
      return;
    }
    if (endpoint && error instanceof WebhookApiError && error.has('webhook.not_found')) {
      this.drop(endpoint);
      this.error.set(`${endpoint.url} no longer exists: it was deleted`);
      return;
    }
    this.error.set(message);
  }

  private drop(endpoint: WebhookEndpoint): void {
    this.endpoints.update((items) => items.filter((e) => e.id !== endpoint.id));
    if (this.open() === endpoint.id) this.open.set(undefined);
  }

  private focus(selector: string): void {
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>(selector)?.focus(), {
      injector: this.injector,
    });
  }
}

/** The endpoint as the list keeps it: the secret stays in the notice alone. */
function withoutSecret(endpoint: WebhookEndpointWithSecret): WebhookEndpoint {
  const rest: Partial<WebhookEndpointWithSecret> = { ...endpoint };
  delete rest.secret;
  return rest as WebhookEndpoint;
}
