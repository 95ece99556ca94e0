import { Inject, Injectable } from '@nestjs/common';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, WebhookEndpointsTable } from './database';
import { whenMigrated } from './database-unavailable';
import { DB } from './kysely.provider';
import { MigrationsService } from './migrations.service';
import { skipPending } from './outbox';
import { UUID } from './uuid-v7';

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;

/** Webhook endpoints: registration, changes, secret rotation; failures become 503 `database.unavailable`. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    private readonly schema: MigrationsService,
  ) {}

  insertEndpoint(row: Insertable<WebhookEndpointsTable>): Promise<WebhookEndpointRow> {
    return this.query(() =>
      this.db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow(),
    );
  }

  listEndpoints(): Promise<WebhookEndpointRow[]> {
    return this.query(() =>
      this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').execute(),
    );
  }

  async findEndpoint(id: string): Promise<WebhookEndpointRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.query(() =>
      this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  }

  /** How many endpoints exist: with none, no secret needs a key yet. */
  async countEndpoints(): Promise<number> {
    const { n } = await this.query(() =>
      this.db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    return Number(n);
  }

  /**
   * Changes an endpoint. Disabling it skips its pending deliveries (recover sends them later);
   * both happen in one transaction.
   */
  async updateEndpoint(
    id: string,
    patch: Partial<Omit<WebhookEndpointRow, 'id' | 'created_at'>>,
  ): Promise<WebhookEndpointRow | undefined> {
    if (!UUID.test(id)) return undefined;
    if (Object.keys(patch).length === 0) return this.findEndpoint(id);
    return this.query(() =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('webhook_endpoints')
          .set(patch)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (row && patch.enabled === false) await skipPending(trx, id);
        return row;
      }),
    );
  }

  /**
   * Replaces the secret, keeping the old one until `graceUntil`; undefined when a rotation's
   * grace period is still running (or there is no such endpoint).
   */
  async rotateSecret(
    id: string,
    sealed: string,
    hint: string,
    graceUntil: Date,
  ): Promise<WebhookEndpointRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.query(() =>
      this.db
        .updateTable('webhook_endpoints')
        .set((eb) => ({
          previous_secret_sealed: eb.ref('secret_sealed'),
          previous_secret_expires_at: graceUntil,
          secret_sealed: sealed,
          secret_hint: hint,
        }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('previous_secret_expires_at', 'is', null),
            eb('previous_secret_expires_at', '<', sql<Date>`now()`),
          ]),
        )
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const result = await this.query(() =>
      this.db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  private query<T>(call: () => Promise<T>): Promise<T> {
    return whenMigrated(this.schema, call);
  }
}
