import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { catchError, type Observable } from 'rxjs';
import type {
  RecoverRequest,
  RecoverResult,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointPage,
  WebhookEndpointRequest,
  WebhookEndpointWithSecret,
  WebhookTestQueued,
} from '@dropgate/shared/api-contract';
import { API_BASE_URL } from '@dropgate/web/util-api';
import { asWebhookApiError } from './webhook-api-error';

export interface WebhookDeliveryQuery {
  status?: WebhookDeliveryStatus;
  cursor?: string;
}

/**
 * The webhooks admin API (`webhooks:admin`). Only this page uses it, so it lives beside the page
 * rather than in a data-access library of its own. Errors arrive as WebhookApiError.
 */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  listEndpoints(): Observable<WebhookEndpointPage> {
    return this.http.get<WebhookEndpointPage>(this.url('endpoints')).pipe(catchError(asWebhookApiError));
  }

  getEndpoint(id: string): Observable<WebhookEndpoint> {
    return this.http.get<WebhookEndpoint>(this.url('endpoints', id)).pipe(catchError(asWebhookApiError));
  }

  /** Registers an endpoint; the answer holds its signing secret, which the API shows this once. */
  createEndpoint(request: WebhookEndpointRequest): Observable<WebhookEndpointWithSecret> {
    return this.http
      .post<WebhookEndpointWithSecret>(this.url('endpoints'), request)
      .pipe(catchError(asWebhookApiError));
  }

  updateEndpoint(id: string, patch: Partial<WebhookEndpointRequest>): Observable<WebhookEndpoint> {
    return this.http
      .patch<WebhookEndpoint>(this.url('endpoints', id), patch)
      .pipe(catchError(asWebhookApiError));
  }

  deleteEndpoint(id: string): Observable<unknown> {
    return this.http.delete(this.url('endpoints', id)).pipe(catchError(asWebhookApiError));
  }

  /** A new secret, shown once; 409 `webhook.rotation_in_progress` while the last one's grace lasts. */
  rotateSecret(id: string): Observable<WebhookEndpointWithSecret> {
    return this.http
      .post<WebhookEndpointWithSecret>(this.url('endpoints', id, 'rotate-secret'), {})
      .pipe(catchError(asWebhookApiError));
  }

  test(id: string): Observable<WebhookTestQueued> {
    return this.http
      .post<WebhookTestQueued>(this.url('endpoints', id, 'test'), {})
      .pipe(catchError(asWebhookApiError));
  }

  /** Newest first, a page at a time; `cursor` is the last page's `nextCursor`. */
  deliveries(endpointId: string, query: WebhookDeliveryQuery = {}): Observable<WebhookDeliveryPage> {
    let params = new HttpParams();
    if (query.status) params = params.set('status', query.status);
    if (query.cursor) params = params.set('cursor', query.cursor);
    return this.http
      .get<WebhookDeliveryPage>(this.url('endpoints', endpointId, 'deliveries'), { params })
      .pipe(catchError(asWebhookApiError));
  }

  delivery(id: string): Observable<WebhookDeliveryDetail> {
    return this.http
      .get<WebhookDeliveryDetail>(this.url('deliveries', id))
      .pipe(catchError(asWebhookApiError));
  }

  /** Sends a delivery again now, with the same `webhook-id` and body. */
  replay(id: string): Observable<WebhookDeliveryDetail> {
    return this.http
      .post<WebhookDeliveryDetail>(this.url('deliveries', id, 'retry'), {})
      .pipe(catchError(asWebhookApiError));
  }

  /** Queues again every failed or skipped delivery of the endpoint created since `since` (ISO 8601). */
  recover(endpointId: string, since: string): Observable<RecoverResult> {
    const body: RecoverRequest = { since };
    return this.http
      .post<RecoverResult>(this.url('endpoints', endpointId, 'recover'), body)
      .pipe(catchError(asWebhookApiError));
  }

  private url(collection: 'endpoints' | 'deliveries', id?: string, action?: string): string {
    const path = [
      collection,
      ...(id === undefined ? [] : [encodeURIComponent(id)]),
      ...(action ? [action] : []),
    ];
    return `${this.baseUrl}/webhooks/${path.join('/')}`;
  }
}
