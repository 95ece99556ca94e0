import {
  WEBHOOK_EVENT_TYPES,
  type WebhookAttempt,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@dropgate/shared/api-contract';

/** What each event tells a receiver; a new event type fails compilation here. */
export const EVENT_DESCRIPTIONS: Readonly<Record<WebhookEventType, string>> = {
  'upload.available': 'stored and clean, ready to download',
  'upload.held': 'stored but not scanned, held for review',
  'upload.infected': 'malware found; the file was deleted',
  'upload.rejected': 'not as declared; the file was deleted',
  'upload.expired': 'never completed in time',
  'upload.canceled': 'canceled before it completed',
  'upload.deleted': 'deleted by its owner or an admin',
  'webhook.test': 'sent by the Test button',
};

/**
 * The types an endpoint subscribes to. `webhook.test` is left out: Test sends it to one endpoint
 * whatever that endpoint subscribes to, so a box for it would change nothing.
 */
export const SUBSCRIBABLE_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter(
  (type) => type !== 'webhook.test',
);

/** Each delivery status as a row shows it; a new status fails compilation here. */
export const DELIVERY_STATUS_LABELS: Readonly<Record<WebhookDeliveryStatus, string>> = {
  pending: 'Pending',
  succeeded: 'Delivered',
  failed: 'Failed',
  skipped: 'Skipped',
};

export type EndpointHealth = 'disabled' | 'failing' | 'healthy' | 'untried';

export const HEALTH_LABELS: Readonly<Record<EndpointHealth, string>> = {
  disabled: 'Disabled',
  failing: 'Failing',
  healthy: 'Healthy',
  untried: 'No deliveries yet',
};

/** An endpoint's health in one word: disabled wins, then failing, then its last success. */
export function healthOf(endpoint: WebhookEndpoint): EndpointHealth {
  if (!endpoint.enabled) return 'disabled';
  if (endpoint.health.failingSince || endpoint.health.failuresInRow > 0) return 'failing';
  return endpoint.health.lastSuccessAt ? 'healthy' : 'untried';
}

/** What came of one attempt, in words: the receiver's status, or why there was none. */
export function attemptResult(attempt: WebhookAttempt): string {
  switch (attempt.outcome) {
    case 'response':
      return `HTTP ${attempt.statusCode ?? '?'}`;
    case 'blocked':
      return 'Blocked: the target is not allowed';
    case 'failed':
      return 'No response';
    default: {
      const unknown: never = attempt.outcome;
      throw new Error(`Unhandled attempt outcome ${String(unknown)}`);
    }
  }
}
