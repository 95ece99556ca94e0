import type { RejectionReason, HeldReason, UploadStatus } from './upload-record';

/**
 * The event each status change tells subscribers, or null for a status nobody is told about
 * (an upload still on its way). A `Record` over the statuses: a new status without its event
 * fails compilation.
 */
export const STATUS_EVENTS = {
  pending: null,
  scanning: null,
  available: 'upload.available',
  held: 'upload.held',
  infected: 'upload.infected',
  rejected: 'upload.rejected',
  expired: 'upload.expired',
  canceled: 'upload.canceled',
  deleted: 'upload.deleted',
} as const satisfies Record<UploadStatus, `upload.${string}` | null>;

export type UploadEventType = NonNullable<(typeof STATUS_EVENTS)[UploadStatus]>;

/** Every event type an endpoint may subscribe to, in lifecycle order, then the test event. */
export const WEBHOOK_EVENT_TYPES = [
  ...Object.values(STATUS_EVENTS).filter((type): type is UploadEventType => type !== null),
  'webhook.test',
] as const;

export type WebhookEventType = UploadEventType | 'webhook.test';

/** An upload as events describe it: no presigned URLs, no tokens. */
export interface UploadEventData {
  id: string;
  status: UploadStatus;
  /** Why it was rejected or held, or what an infected file carried. */
  statusReason?: RejectionReason | HeldReason | string;
  key: string;
  fileName: string;
  contentType: string;
  size: number;
  etag?: string;
  owner: { issuer: string; subject: string; name?: string };
  createdAt: string;
  completedAt?: string;
  deletedAt?: string;
}

/** The body of a delivery, as signed and sent (Standard Webhooks). */
export interface WebhookEvent<T = UploadEventData> {
  type: WebhookEventType;
  /** When the change was committed, ISO 8601. */
  timestamp: string;
  data: T;
}

/** Body of `POST /api/webhooks/endpoints` (and, every field optional, of PATCH). */
export interface WebhookEndpointRequest {
  url: string;
  eventTypes: WebhookEventType[];
  description?: string;
  enabled?: boolean;
}

/** An endpoint as the admin API shows it: never its secret, only a hint. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  eventTypes: WebhookEventType[];
  description: string;
  enabled: boolean;
  /** Why it was disabled: by an admin, a 410, or five days of failures. */
  disabledReason?: string;
  secretHint: string;
  /** While a rotated secret's grace period lasts: both are signed with until then. */
  previousSecretExpiresAt?: string;
  createdAt: string;
  health: {
    lastSuccessAt?: string;
    /** Since when every delivery has failed; absent while it succeeds. */
    failingSince?: string;
    failuresInRow: number;
  };
}

/** `201` of `POST /api/webhooks/endpoints`, and `200` of rotate-secret: the secret, shown once. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

/** `202` of `POST /api/webhooks/endpoints/:id/test`: the queued delivery and its `webhook-id`. */
export interface WebhookTestQueued {
  deliveryId: string;
  eventId: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'skipped'] as const;

/**
 * `pending` (due now or at `nextAttemptAt`), `succeeded` (a 2xx), `failed` (retries exhausted, a
 * 410, or the endpoint disabled), `skipped` (the endpoint was disabled when the event happened;
 * recover sends it).
 */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One try at sending a delivery. */
export interface WebhookAttempt {
  at: string;
  durationMs: number;
  /** `response` (any HTTP status), `blocked` (the target is not allowed), `failed` (no response). */
  outcome: 'response' | 'blocked' | 'failed';
  statusCode?: number;
  error?: string;
  /** The first 1 KiB of the response body. */
  responseBody?: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  /** The `webhook-id`: the same on every retry and replay. */
  eventId: string;
  eventType: WebhookEventType;
  uploadId?: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt?: string;
  createdAt: string;
  completedAt?: string;
}

/** `GET /api/webhooks/deliveries/:id`: the delivery, the body it sends, and every attempt. */
export interface WebhookDeliveryDetail extends WebhookDelivery {
  body: string;
  attemptLog: WebhookAttempt[];
}

export interface WebhookEndpointPage {
  items: WebhookEndpoint[];
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  nextCursor?: string;
}

/** Body of `POST /api/webhooks/endpoints/:id/recover`. */
export interface RecoverRequest {
  /** Replays failed and skipped deliveries created since then, oldest first. ISO 8601. */
  since: string;
}

/** `202` of recover: how many deliveries were queued again. */
export interface RecoverResult {
  queued: number;
}
