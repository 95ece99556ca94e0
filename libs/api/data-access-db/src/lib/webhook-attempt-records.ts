import { sql, type Kysely, type Selectable } from 'kysely';
import type { WebhookDeliveryStatus } from '@dropgate/shared/api-contract';
import type { Database, WebhookAttemptsTable } from './database';
import { skipPending } from './outbox';

/** What an attempt decided for its delivery, and for its endpoint's health. */
export interface AttemptResult {
  attempt: Omit<Selectable<WebhookAttemptsTable>, 'id' | 'delivery_id'>;
  status: WebhookDeliveryStatus;
  /** When to try again (pending only). */
  nextAttemptAt?: Date;
  succeeded: boolean;
  /** Disable the endpoint, for this reason (a 410, five days of failures). */
  disableEndpoint?: string;
}

/** One delivery's attempt, to record. */
export interface AttemptRecord {
  deliveryId: string;
  result: AttemptResult;
}

/**
 * Records attempts that disable no endpoint, in one statement committed on its own: each
 * delivery, its attempt, and the health of the endpoints they went to, for the deliveries
 * `holder` still leases (the ids answered). The rest were taken by another instance, and their
 * attempts are not the outcome.
 *
 * An endpoint's health follows its latest attempts: after the batch's last success, the failures
 * that came later are counted from zero; with none, they add to the count. An endpoint whose
 * health does not change (successes within a second of the last recorded one) is not written, so
 * deliveries to one endpoint do not queue on its row lock.
 */
export async function recordAttempts(
  db: Kysely<Database>,
  holder: string,
  records: readonly AttemptRecord[],
): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  const column = <T>(pick: (record: AttemptRecord) => T) => records.map(pick);
  const { rows } = await sql<{ id: string }>`WITH input AS (
      SELECT * FROM unnest(${column((r) => r.deliveryId)}::uuid[], ${column((r) => r.result.status)}::text[],
        ${column((r) => r.result.nextAttemptAt ?? null)}::timestamptz[],
        ${column((r) => r.result.succeeded)}::boolean[], ${column((r) => r.result.attempt.at)}::timestamptz[],
        ${column((r) => r.result.attempt.duration_ms)}::integer[], ${column((r) => r.result.attempt.outcome)}::text[],
        ${column((r) => r.result.attempt.status_code)}::integer[], ${column((r) => r.result.attempt.error)}::text[],
        ${column((r) => r.result.attempt.response_body)}::text[])
      AS t(id, status, next_attempt_at, succeeded, at, duration_ms, outcome, status_code, error,
        response_body)),
    delivery AS (
      UPDATE webhook_deliveries d SET status = i.status, attempts = d.attempts + 1,
        schedule_step = d.schedule_step + 1, next_attempt_at = coalesce(i.next_attempt_at, d.next_attempt_at),
        completed_at = CASE WHEN i.status = 'pending' THEN NULL ELSE now() END, lease_owner = NULL, lease_until = NULL
      FROM input i WHERE d.id = i.id AND d.lease_owner = ${holder}
      RETURNING d.id, d.endpoint_id),
    written AS (SELECT i.*, delivery.endpoint_id FROM input i JOIN delivery USING (id)),
    attempt AS (
      INSERT INTO webhook_attempts (delivery_id, at, duration_ms, outcome, status_code, error, response_body)
      SELECT id, at, duration_ms, outcome, status_code, error, response_body FROM written ORDER BY at),
    last_success AS (
      SELECT endpoint_id, max(at) FILTER (WHERE succeeded) AS at FROM written GROUP BY endpoint_id),
    health AS (
      SELECT s.endpoint_id, s.at AS succeeded_at,
        count(*) FILTER (WHERE NOT w.succeeded AND (s.at IS NULL OR w.at > s.at)) AS failures
      FROM last_success s JOIN written w USING (endpoint_id) GROUP BY s.endpoint_id, s.at),
    endpoint AS (
      UPDATE webhook_endpoints p SET
        last_success_at = coalesce(greatest(p.last_success_at, h.succeeded_at), p.last_success_at),
        failures_in_row = CASE WHEN h.succeeded_at IS NULL THEN p.failures_in_row + h.failures ELSE h.failures END,
        failing_since = CASE WHEN h.failures = 0 THEN NULL
          WHEN h.succeeded_at IS NULL THEN coalesce(p.failing_since, now()) ELSE now() END
      FROM health h
      WHERE p.id = h.endpoint_id AND (h.failures > 0 OR p.failures_in_row <> 0 OR p.failing_since IS NOT NULL
        OR p.last_success_at IS NULL OR p.last_success_at < h.succeeded_at - interval '1 second'))
    SELECT id FROM delivery`.execute(db);
  return new Set(rows.map((row) => row.id));
}

/**
 * Records an attempt that disables its endpoint (rare): in one transaction, the delivery, its
 * attempt, the endpoint disabled with the reason, and its pending deliveries skipped. False when
 * `holder` no longer leases the delivery.
 */
export function recordDisabling(
  db: Kysely<Database>,
  holder: string,
  { deliveryId, result }: AttemptRecord,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const delivery = await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: result.status,
        attempts: eb('attempts', '+', 1),
        schedule_step: eb('schedule_step', '+', 1),
        completed_at: new Date(),
        lease_owner: null,
        lease_until: null,
      }))
      .where('id', '=', deliveryId)
      .where('lease_owner', '=', holder)
      .returning('endpoint_id')
      .executeTakeFirst();
    if (!delivery) return false;
    await trx
      .insertInto('webhook_attempts')
      .values({ ...result.attempt, delivery_id: deliveryId })
      .execute();
    await trx
      .updateTable('webhook_endpoints')
      .set((eb) => ({
        failing_since: eb.fn.coalesce('failing_since', sql<Date>`now()`),
        failures_in_row: eb('failures_in_row', '+', 1),
        enabled: false,
        disabled_reason: result.disableEndpoint ?? null,
      }))
      .where('id', '=', delivery.endpoint_id)
      .execute();
    await skipPending(trx, delivery.endpoint_id);
    return true;
  });
}
