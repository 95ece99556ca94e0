import { Inject, Injectable } from '@nestjs/common';
import type {
  WebhookEndpoint,
  WebhookEndpointRequest,
  WebhookEndpointWithSecret,
  WebhookTestQueued,
  WebhookEvent,
} from '@dropgate/shared/api-contract';
import {
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  newEventId,
  uuidV7,
  type WebhookEndpointRow,
} from '@dropgate/api/data-access-db';
import { WebhookTargets, newWebhookSecret, secretHint } from '@dropgate/api/data-access-webhooks';
import { endpointNotFound, rotationInProgress, urlNotAllowed } from './webhook-errors';
import { toEndpoint } from './webhook-mappers';
import { WebhookSecrets } from './webhook-secrets.service';
import { webhooksConfig, type WebhooksSettings } from './webhooks.config';

/** Registering, changing, rotating and testing webhook endpoints (`webhooks:admin`). */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly repository: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly targets: WebhookTargets,
    private readonly secrets: WebhookSecrets,
    @Inject(webhooksConfig.KEY) private readonly settings: WebhooksSettings,
  ) {}

  /** Registers an endpoint; its secret is in this answer and nowhere else. */
  async create(request: WebhookEndpointRequest): Promise<WebhookEndpointWithSecret> {
    const url = this.checked(request.url);
    const secret = newWebhookSecret();
    const row = await this.repository.insertEndpoint({
      id: uuidV7(),
      url,
      event_types: [...new Set(request.eventTypes)],
      description: request.description ?? '',
      enabled: request.enabled ?? true,
      secret_sealed: this.secrets.seal(secret),
      secret_hint: secretHint(secret),
    });
    return { ...toEndpoint(row), secret };
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.repository.listEndpoints()).map(toEndpoint);
  }

  async get(id: string): Promise<WebhookEndpoint> {
    return toEndpoint(await this.found(id));
  }

  /** A new URL is checked as at registration; re-enabling clears the reason it was disabled. */
  async update(id: string, patch: Partial<WebhookEndpointRequest>): Promise<WebhookEndpoint> {
    const row = await this.repository.updateEndpoint(id, {
      ...(patch.url !== undefined && { url: this.checked(patch.url) }),
      ...(patch.eventTypes !== undefined && { event_types: [...new Set(patch.eventTypes)] }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.enabled === true && { enabled: true, disabled_reason: null, failing_since: null }),
      ...(patch.enabled === false && { enabled: false, disabled_reason: 'disabled by an admin' }),
    });
    if (!row) throw endpointNotFound();
    return toEndpoint(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.deleteEndpoint(id))) throw endpointNotFound();
  }

  /**
   * A new secret, shown once; the old one is signed with too until the grace period ends, and a
   * second rotation meanwhile is refused (409), so that no receiver loses a secret it still uses.
   */
  async rotateSecret(id: string): Promise<WebhookEndpointWithSecret> {
    const current = await this.found(id);
    const secret = newWebhookSecret();
    const until = new Date(Date.now() + this.settings.secretGraceMs);
    const row = await this.repository.rotateSecret(id, this.secrets.seal(secret), secretHint(secret), until);
    if (!row) throw rotationInProgress(new Date(current.previous_secret_expires_at ?? until));
    return { ...toEndpoint(row), secret };
  }

  /** Queues a `webhook.test` event for this endpoint alone; the delivery's id, to follow it. */
  async test(id: string): Promise<WebhookTestQueued> {
    const endpoint = await this.found(id);
    const now = new Date();
    const eventId = newEventId(now);
    const body: WebhookEvent<{ endpointId: string }> = {
      type: 'webhook.test',
      timestamp: now.toISOString(),
      data: { endpointId: endpoint.id },
    };
    const deliveryId = await this.deliveries.insertEventFor(endpoint.id, {
      id: eventId,
      type: 'webhook.test',
      body: JSON.stringify(body),
    });
    return { deliveryId, eventId };
  }

  private async found(id: string): Promise<WebhookEndpointRow> {
    const row = await this.repository.findEndpoint(id);
    if (!row) throw endpointNotFound();
    return row;
  }

  private checked(url: string): string {
    const check = this.targets.check(url);
    if (!check.ok) throw urlNotAllowed(check.reason);
    return check.url.href;
  }
}
