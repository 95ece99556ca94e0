import type {
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from '@dropgate/shared/api-contract';
import {
  isoTime as iso,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '@dropgate/api/data-access-db';

/** An endpoint as the admin API shows it: never the secret. */
export function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  const graceLasts = row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > new Date();
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    ...(row.disabled_reason !== null && !row.enabled && { disabledReason: row.disabled_reason }),
    secretHint: row.secret_hint,
    ...(graceLasts &&
      row.previous_secret_expires_at && { previousSecretExpiresAt: iso(row.previous_secret_expires_at) }),
    createdAt: iso(row.created_at),
    health: {
      ...(row.last_success_at && { lastSuccessAt: iso(row.last_success_at) }),
      ...(row.failing_since && { failingSince: iso(row.failing_since) }),
      failuresInRow: row.failures_in_row,
    },
  };
}

export function toDelivery(row: WebhookDeliveryRow & { event_type: string }): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type as WebhookEventType,
    ...(row.upload_id !== null && { uploadId: row.upload_id }),
    status: row.status,
    attempts: row.attempts,
    ...(row.status === 'pending' && { nextAttemptAt: iso(row.next_attempt_at) }),
    createdAt: iso(row.created_at),
    ...(row.completed_at && { completedAt: iso(row.completed_at) }),
  };
}

export function toAttempt(row: WebhookAttemptRow): WebhookAttempt {
  return {
    at: iso(row.at),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    ...(row.status_code !== null && { statusCode: row.status_code }),
    ...(row.error !== null && { error: row.error }),
    ...(row.response_body !== null && { responseBody: row.response_body }),
  };
}
