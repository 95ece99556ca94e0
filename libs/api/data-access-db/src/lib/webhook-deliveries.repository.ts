import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { WebhookDeliveryStatus } from '@dropgate/shared/api-contract';
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable } from './database';
import { recordAttempts, recordDisabling, type AttemptRecord } from './webhook-attempt-records';
import { whenMigrated } from './database-unavailable';
import { DB } from './kysely.provider';
import { MigrationsService } from './migrations.service';
import { DELIVERIES_CHANNEL, type OutboxEvent } from './outbox';
import { UUID } from './uuid-v7';

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;

/** A claimed delivery with what sending it needs: the stored body and the endpoint. */
export interface DueDelivery extends WebhookDeliveryRow {
  body: string;
  event_type: string;
  /** When the event was written: where its delivery lag starts. */
  event_created_at: Date;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  /** Since when every delivery to the endpoint has failed; null while it succeeds. */
  failing_since: Date | null;
}

/**
 * Webhook deliveries and their attempts: the delivery workers' queue (leased FOR UPDATE SKIP
 * LOCKED), the log admins read, replay and recovery; failures become 503 `database.unavailable`.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    private readonly schema: MigrationsService,
  ) {}

  /** Writes an event for one endpoint only (the test event), and wakes the workers. */
  async insertEventFor(endpointId: string, event: OutboxEvent): Promise<string> {
    const { rows } = await this.query(() =>
      sql<{ id: string }>`WITH event AS (
          INSERT INTO webhook_events (id, type, upload_id, body)
          VALUES (${event.id}, ${event.type}, NULL, ${event.body}) RETURNING id, upload_id),
        queued AS (
          INSERT INTO webhook_deliveries (id, event_id, endpoint_id, upload_id, status)
          SELECT gen_random_uuid(), event.id, ${endpointId}::uuid, NULL, 'pending' FROM event
          RETURNING id),
        woken AS (SELECT pg_notify(${DELIVERIES_CHANNEL}, '') FROM queued)
      SELECT id, (SELECT count(*) FROM woken) AS notified FROM queued`.execute(this.db),
    );
    return rows[0].id;
  }

  /**
   * Leases up to `limit` due deliveries, oldest first, skipping those other instances hold and
   * any whose endpoint has an earlier delivery for the same upload still unfinished.
   */
  async claimDeliveries(limit: number, holder: string, until: Date): Promise<DueDelivery[]> {
    const { rows } = await this.query(() =>
      sql<DueDelivery>`WITH claimed AS (
          UPDATE webhook_deliveries SET lease_owner = ${holder}, lease_until = ${until}
          WHERE id IN (
            SELECT d.id FROM webhook_deliveries d
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until < now())
              AND EXISTS (SELECT 1 FROM webhook_endpoints p WHERE p.id = d.endpoint_id AND p.enabled)
              AND (d.upload_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM webhook_deliveries earlier
                WHERE earlier.endpoint_id = d.endpoint_id AND earlier.upload_id = d.upload_id
                  AND earlier.status = 'pending' AND earlier.seq < d.seq))
            ORDER BY d.next_attempt_at, d.seq
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED)
          RETURNING *)
      SELECT claimed.*, e.body, e.type AS event_type, e.created_at AS event_created_at, p.url,
        p.secret_sealed, p.previous_secret_sealed, p.previous_secret_expires_at, p.failing_since
      FROM claimed
      JOIN webhook_events e ON e.id = claimed.event_id
      JOIN webhook_endpoints p ON p.id = claimed.endpoint_id
      ORDER BY claimed.next_attempt_at, claimed.seq`.execute(this.db),
    );
    return rows;
  }

  /**
   * Records attempts and what they decided, each only while `holder` still holds its delivery's
   * lease: the ids answered are those written; the others were taken by another instance, and
   * their attempts are not the outcome. The attempts that disable no endpoint go in one statement
   * (see `recordAttempts`); one that disables its endpoint (rare) in a transaction of its own.
   */
  async recordAttempts(holder: string, records: readonly AttemptRecord[]): Promise<Set<string>> {
    const disabling = records.filter((r) => r.result.disableEndpoint);
    const written = await this.query(() =>
      recordAttempts(
        this.db,
        holder,
        records.filter((r) => !r.result.disableEndpoint),
      ),
    );
    for (const record of disabling) {
      if (await this.query(() => recordDisabling(this.db, holder, record))) written.add(record.deliveryId);
    }
    return written;
  }

  /** Gives leased deliveries back unsent (the instance is stopping). */
  async releaseDeliveries(ids: readonly string[], holder: string): Promise<void> {
    if (ids.length === 0) return;
    await this.query(() =>
      this.db
        .updateTable('webhook_deliveries')
        .set({ lease_owner: null, lease_until: null })
        .where('id', 'in', ids)
        .where('lease_owner', '=', holder)
        .execute(),
    );
  }

  /** A page of an endpoint's deliveries, newest first, below `beforeSeq`. */
  listDeliveries(query: {
    endpointId: string;
    status?: WebhookDeliveryStatus;
    beforeSeq?: string;
    limit: number;
  }): Promise<(WebhookDeliveryRow & { event_type: string })[]> {
    return this.query(() => {
      let select = this.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
        .selectAll('d')
        .select('e.type as event_type')
        .where('d.endpoint_id', '=', query.endpointId);
      if (query.status) select = select.where('d.status', '=', query.status);
      if (query.beforeSeq) select = select.where('d.seq', '<', query.beforeSeq);
      return select.orderBy('d.seq', 'desc').limit(query.limit).execute();
    });
  }

  /** A delivery with its body and every attempt, oldest first. */
  async findDelivery(
    id: string,
  ): Promise<
    | { delivery: WebhookDeliveryRow & { event_type: string; body: string }; attempts: WebhookAttemptRow[] }
    | undefined
  > {
    if (!UUID.test(id)) return undefined;
    // One snapshot for both reads, so the delivery and its attempts agree.
    return this.query(() =>
      this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const delivery = await trx
            .selectFrom('webhook_deliveries as d')
            .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
            .selectAll('d')
            .select(['e.type as event_type', 'e.body'])
            .where('d.id', '=', id)
            .executeTakeFirst();
          if (!delivery) return undefined;
          const attempts = await trx
            .selectFrom('webhook_attempts')
            .selectAll()
            .where('delivery_id', '=', id)
            .orderBy('id')
            .execute();
          return { delivery, attempts };
        }),
    );
  }

  /** Queues a delivery again, now, from the start of the retry schedule (same event, same id). */
  async requeue(id: string): Promise<WebhookDeliveryRow | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.query(() =>
      sql<WebhookDeliveryRow>`WITH again AS (
          UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), schedule_step = 0,
            completed_at = NULL
          WHERE id = ${id} RETURNING *),
        woken AS (SELECT pg_notify(${DELIVERIES_CHANNEL}, '') FROM again)
      SELECT again.*, (SELECT count(*) FROM woken) AS notified FROM again`.execute(this.db),
    );
    return rows[0];
  }

  /** Queues again every failed or skipped delivery of an endpoint created since `since`. */
  async recover(endpointId: string, since: Date): Promise<number> {
    const { rows } = await this.query(() =>
      sql<{ queued: string }>`WITH again AS (
          UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), schedule_step = 0,
            completed_at = NULL
          WHERE endpoint_id = ${endpointId} AND status IN ('failed', 'skipped') AND created_at >= ${since}
          RETURNING id),
        woken AS (SELECT pg_notify(${DELIVERIES_CHANNEL}, '') FROM (SELECT 1 FROM again LIMIT 1) one)
      SELECT (SELECT count(*) FROM again) AS queued, (SELECT count(*) FROM woken) AS notified`.execute(
        this.db,
      ),
    );
    return Number(rows[0].queued);
  }

  private query<T>(call: () => Promise<T>): Promise<T> {
    return whenMigrated(this.schema, call);
  }
}
