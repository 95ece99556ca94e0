import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { WebhookEventType } from '@dropgate/shared/api-contract';
import type { Database } from './database';
import { uuidV7 } from './uuid-v7';

/** An event to write in the outbox with the status change that caused it. */
export interface OutboxEvent {
  /** The `webhook-id`. */
  id: string;
  type: WebhookEventType;
  /** The exact JSON sent on every attempt. */
  body: string;
}

/** A new event's id, the `webhook-id` receivers deduplicate by: time-ordered, `msg_` + 32 hex. */
export function newEventId(at = new Date()): string {
  return `msg_${uuidV7(at.getTime()).replaceAll('-', '')}`;
}

/** The channel the delivery workers LISTEN on; a notification is a hint, polling is the rule. */
export const DELIVERIES_CHANNEL = 'webhook_deliveries';

/**
 * The INSERT of one delivery per endpoint subscribed to `type`, for the rows of a CTE named
 * `event` (id, upload_id): pending for enabled endpoints, skipped for disabled ones (recover
 * sends those). Returns the ids.
 */
export function queueDeliveries(type: WebhookEventType): RawBuilder<unknown> {
  return sql`INSERT INTO webhook_deliveries (id, event_id, endpoint_id, upload_id, status)
    SELECT gen_random_uuid(), event.id, endpoint.id, event.upload_id,
      CASE WHEN endpoint.enabled THEN 'pending' ELSE 'skipped' END
    FROM event, webhook_endpoints endpoint
    WHERE ${type} = ANY (endpoint.event_types)
    RETURNING id`;
}

/** A disabled endpoint's pending deliveries wait as `skipped`, for recover. */
export async function skipPending(trx: Kysely<Database>, endpointId: string): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ status: 'skipped', lease_owner: null, lease_until: null })
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .execute();
}
