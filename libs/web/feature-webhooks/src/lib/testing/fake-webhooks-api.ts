import { of, throwError, type Observable } from 'rxjs';
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointRequest,
  WebhookEndpointWithSecret,
} from '@dropgate/shared/api-contract';
import { WebhookApiError } from '../webhook-api-error';
import type { WebhookDeliveryQuery, WebhooksApi } from '../webhooks.api';

export const endpoint = (n: number, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: `0190000${n}-0000-7000-8000-000000000000`,
  url: `https://hooks.example.com/${n}`,
  eventTypes: ['upload.available'],
  description: '',
  enabled: true,
  secretHint: `whsec_…${n}AAA`,
  createdAt: '2026-11-28T10:00:00.000Z',
  health: { failuresInRow: 0 },
  ...overrides,
});

export const delivery = (n: number, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: `d-${n}`,
  endpointId: endpoint(1).id,
  eventId: `msg_${n}`,
  eventType: 'webhook.test',
  status: 'succeeded',
  attempts: 1,
  createdAt: '2026-11-28T10:00:00.000Z',
  completedAt: '2026-11-28T10:00:01.000Z',
  ...overrides,
});

export const detail = (
  shown: WebhookDelivery,
  attemptLog: WebhookDeliveryDetail['attemptLog'] = [],
): WebhookDeliveryDetail => ({ ...shown, body: '{"type":"webhook.test"}', attemptLog });

export const problem = (status: number, code: string, message: string, field = '') =>
  new WebhookApiError(message, status, [{ field, code: code as never, message }]);

type Method = Exclude<keyof WebhooksApi, 'http' | 'baseUrl' | 'url'>;

/**
 * WebhooksApi without HTTP: answers from the fields below, records every call, and fails a call
 * when `failNext` names it.
 */
export class FakeWebhooksApi implements Pick<WebhooksApi, Method> {
  readonly calls: [Method, ...unknown[]][] = [];
  endpoints: WebhookEndpoint[] = [];
  /** Each deliveries() call takes the next page; the last one stays. */
  pages: WebhookDeliveryPage[] = [{ items: [] }];
  details = new Map<string, WebhookDeliveryDetail>();
  failNext = new Map<Method, Error>();
  secret = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==';

  listEndpoints() {
    return this.answer('listEndpoints', [], () => ({ items: this.endpoints }));
  }
  getEndpoint(id: string) {
    return this.answer('getEndpoint', [id], () => this.find(id));
  }
  createEndpoint(request: WebhookEndpointRequest) {
    return this.answer('createEndpoint', [request], (): WebhookEndpointWithSecret => ({
      ...endpoint(9, {
        url: request.url,
        eventTypes: request.eventTypes,
        description: request.description ?? '',
      }),
      secret: this.secret,
    }));
  }
  updateEndpoint(id: string, patch: Partial<WebhookEndpointRequest>) {
    return this.answer('updateEndpoint', [id, patch], () => ({ ...this.find(id), ...patch }));
  }
  deleteEndpoint(id: string) {
    return this.answer('deleteEndpoint', [id], () => null);
  }
  rotateSecret(id: string) {
    return this.answer('rotateSecret', [id], () => ({
      ...this.find(id),
      secret: `${this.secret}-rotated`,
      previousSecretExpiresAt: '2026-11-29T10:00:00.000Z',
    }));
  }
  test(id: string) {
    return this.answer('test', [id], () => ({ deliveryId: 'd-new', eventId: 'msg_new' }));
  }
  deliveries(endpointId: string, query: WebhookDeliveryQuery = {}) {
    return this.answer('deliveries', [endpointId, query], () =>
      this.pages.length > 1 ? (this.pages.shift() as WebhookDeliveryPage) : this.pages[0],
    );
  }
  delivery(id: string) {
    return this.answer('delivery', [id], () => this.details.get(id) ?? detail(delivery(0, { id })));
  }
  replay(id: string) {
    return this.answer('replay', [id], () => ({
      ...(this.details.get(id) ?? detail(delivery(0, { id }))),
      status: 'pending' as const,
      nextAttemptAt: new Date().toISOString(),
    }));
  }
  recover(endpointId: string, since: string) {
    return this.answer('recover', [endpointId, since], () => ({ queued: 3 }));
  }

  callsOf(method: Method): unknown[][] {
    return this.calls.filter(([name]) => name === method).map(([, ...args]) => args);
  }

  private find(id: string): WebhookEndpoint {
    return this.endpoints.find((e) => e.id === id) ?? endpoint(0, { id });
  }

  private answer<T>(method: Method, args: unknown[], value: () => T): Observable<T> {
    this.calls.push([method, ...args]);
    const failure = this.failNext.get(method);
    if (failure) {
      this.failNext.delete(method);
      return throwError(() => failure);
    }
    return of(value());
  }
}
