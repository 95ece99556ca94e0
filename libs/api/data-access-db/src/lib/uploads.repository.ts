import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import type { UploadStatus } from '@dropgate/shared/api-contract';
import { DELIVERIES_CHANNEL, queueDeliveries, type OutboxEvent } from './outbox';
import type { Database, NewUploadRow, UploadRow, UploadRowUpdate } from './database';
import { whenMigrated } from './database-unavailable';
import { DB } from './kysely.provider';
import { ambientTransaction } from './ambient-transaction';
import { MigrationsService } from './migrations.service';
import { UUID } from './uuid-v7';
import { insertWithinQuota, usedBytesOf } from './upload-quota';
import { CompiledUploadInserts } from './compiled-insert';

/** An upload as the features see it: plain values, sizes as numbers. */
export interface Upload extends Omit<UploadRow, 'size' | 'part_size'> {
  size: number;
  part_size: number | null;
}

export interface Owner {
  issuer: string;
  subject: string;
}

/** What a background worker is due to settle: expired pending uploads, or uploads to scan. */
export type DueUploads = { kind: 'expired'; olderThan: Date } | { kind: 'scanning' };

export type QuotaExceeded = { quotaExceeded: { usedBytes: number; limitBytes: number } };
export type InsertManyResult = { inserted: number } | QuotaExceeded;

/**
 * Every query on `uploads`. Database failures become 503 `database.unavailable`, and so does any
 * query before the schema is migrated (rather than a 500 for a table that does not exist yet).
 */
@Injectable()
export class UploadsRepository {
  private readonly inserts = new CompiledUploadInserts();

  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    private readonly schema: MigrationsService,
  ) {}

  /**
   * Inserts pending uploads of one owner in one statement: all of them, within the quota, or none.
   * With a quota, the owner's pending and available bytes are checked first in the same
   * transaction, under a lock on that owner: creates racing for the last room take turns, so
   * exactly as many fit as there is room for. Inside a caller's transaction (an idempotency
   * key's), they commit or roll back with it. Nothing is read back: the caller has every value.
   */
  insertMany(rows: NewUploadRow[], quotaBytes: number): Promise<InsertManyResult> {
    const outer = ambientTransaction();
    if (quotaBytes <= 0) {
      // No quota to check: one statement, one round trip, no transaction to open and commit.
      return this.query(async () => {
        await this.inserts.insert(outer ?? this.db, rows);
        return { inserted: rows.length };
      });
    }
    return this.query(() =>
      outer
        ? insertWithinQuota(outer, rows, quotaBytes)
        : this.db.transaction().execute((trx) => insertWithinQuota(trx, rows, quotaBytes)),
    );
  }

  /** The owner's pending and available bytes: what counts against a quota. */
  usedBytes(owner: Owner): Promise<number> {
    return this.query(() => usedBytesOf(this.db, owner));
  }

  /** The upload with this id; undefined for an id that does not exist or is not a UUID. */
  async findById(id: string): Promise<Upload | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.query(() =>
      this.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return row && toUpload(row);
  }

  /**
   * Takes the settling lease on an upload that is in one of `statuses` and that nobody holds (or
   * whose holder's lease ran out), until `until`; with `owner`, only that owner's upload.
   * Undefined when it is not free: another instance is settling it, or its status moved on (or it
   * is not the owner's).
   */
  async claim(
    id: string,
    statuses: readonly UploadStatus[],
    holder: string,
    until: Date,
    owner?: Owner,
  ): Promise<Upload | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.query(() => {
      let update = this.db
        .updateTable('uploads')
        .set({ settling_owner: holder, settling_until: until })
        .where('id', '=', id);
      if (owner) {
        update = update.where('owner_issuer', '=', owner.issuer).where('owner_subject', '=', owner.subject);
      }
      return update
        .where('status', 'in', statuses)
        .where((eb) => eb.or([eb('settling_until', 'is', null), eb('settling_until', '<', sql<Date>`now()`)]))
        .returningAll()
        .executeTakeFirst();
    });
    return row && toUpload(row);
  }

  /**
   * Takes the settling lease on up to `batch` free uploads that a background worker is due to
   * settle, oldest first: pending ones whose policy expired before `olderThan`, or ones waiting
   * in `scanning`. Other instances doing the same skip these rows.
   */
  async claimDue(due: DueUploads, batch: number, holder: string, until: Date): Promise<Upload[]> {
    const rows = await this.query(() =>
      this.db
        .updateTable('uploads')
        .set({ settling_owner: holder, settling_until: until })
        .where('id', 'in', (eb) => {
          const free = eb
            .selectFrom('uploads')
            .select('id')
            .where((w) =>
              w.or([w('settling_until', 'is', null), w('settling_until', '<', sql<Date>`now()`)]),
            );
          const dueRows =
            due.kind === 'expired'
              ? free
                  .where('status', '=', 'pending')
                  .where('expires_at', '<', due.olderThan)
                  .orderBy('expires_at')
              : free.where('status', '=', 'scanning').orderBy('completed_at');
          return dueRows.limit(batch).forUpdate().skipLocked();
        })
        .returningAll()
        .execute(),
    );
    return rows.map(toUpload);
  }

  /**
   * Writes the outcome of settling: the new status and its fields, and frees the lease. Only the
   * lease's holder can: undefined when the lease ran out and another instance took the row.
   */
  async settle(
    id: string,
    holder: string,
    to: UploadStatus,
    fields: Omit<UploadRowUpdate, 'status' | 'id' | 'settling_owner' | 'settling_until'> = {},
    event?: OutboxEvent,
  ): Promise<Upload | undefined> {
    const update = () =>
      this.db
        .updateTable('uploads')
        .set({ ...fields, status: to, settling_owner: null, settling_until: null, settle_attempts: 0 })
        .where('id', '=', id)
        .where('settling_owner', '=', holder)
        .returningAll();
    if (!event) {
      const row = await this.query(() => update().executeTakeFirst());
      return row && toUpload(row);
    }
    // One statement: the status change, its event and a delivery per subscribed endpoint commit
    // together or not at all, and a change that lost its lease writes no event.
    const { rows } = await this.query(() =>
      sql<UploadRow>`WITH changed AS (${update()}),
        event AS (
          INSERT INTO webhook_events (id, type, upload_id, body)
          SELECT ${event.id}, ${event.type}, changed.id, ${event.body} FROM changed
          WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE ${event.type} = ANY (event_types))
          RETURNING id, upload_id),
        queued AS (${queueDeliveries(event.type)}),
        woken AS (SELECT pg_notify(${DELIVERIES_CHANNEL}, '') FROM (SELECT 1 FROM queued LIMIT 1) one)
      SELECT changed.*, (SELECT count(*) FROM woken) AS notified FROM changed`.execute(this.db),
    );
    return rows[0] && toUpload(withoutExtra(rows[0]));
  }

  /** Frees the lease without an outcome; the row may be taken again from `retryAt`. */
  async release(id: string, holder: string, retryAt: Date | null): Promise<void> {
    await this.query(() =>
      this.db
        .updateTable('uploads')
        .set((eb) => ({
          settling_owner: null,
          settling_until: retryAt,
          settle_attempts: retryAt ? eb('settle_attempts', '+', 1) : eb.ref('settle_attempts'),
        }))
        .where('id', '=', id)
        .where('settling_owner', '=', holder)
        .execute(),
    );
  }

  /** Moves the end of `holder`'s lease on the upload to `until`; false when the lease is no longer its. */
  async renew(id: string, holder: string, until: Date): Promise<boolean> {
    const result = await this.query(() =>
      this.db
        .updateTable('uploads')
        .set({ settling_until: until })
        .where('id', '=', id)
        .where('settling_owner', '=', holder)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }

  /** Frees the leases `holder` has on these uploads, all at once and without counting an attempt. */
  async releaseAll(ids: readonly string[], holder: string): Promise<void> {
    if (ids.length === 0) return;
    await this.query(() =>
      this.db
        .updateTable('uploads')
        .set({ settling_owner: null, settling_until: null })
        .where('id', 'in', ids)
        .where('settling_owner', '=', holder)
        .execute(),
    );
  }

  /**
   * A page of uploads, newest first: the owner's own (or everyone's when `owner` is undefined),
   * optionally of one status, below `afterId`. Ids are time-ordered, so uploads that arrive while
   * someone pages through do not shift the pages after the first.
   */
  async list(query: {
    owner?: Owner;
    status?: UploadStatus;
    afterId?: string;
    limit: number;
  }): Promise<Upload[]> {
    const rows = await this.query(() => {
      let select = this.db.selectFrom('uploads').selectAll();
      if (query.owner) {
        select = select
          .where('owner_issuer', '=', query.owner.issuer)
          .where('owner_subject', '=', query.owner.subject);
      }
      if (query.status) select = select.where('status', '=', query.status);
      if (query.afterId) select = select.where('id', '<', query.afterId);
      return select.orderBy('id', 'desc').limit(query.limit).execute();
    });
    return rows.map(toUpload);
  }

  /** The key that signs list cursors, made once by a migration and shared by every instance. */
  async cursorKey(): Promise<string> {
    const row = await this.query(() =>
      this.db
        .selectFrom('settings')
        .select('value')
        .where('name', '=', 'cursor_key')
        .executeTakeFirstOrThrow(),
    );
    return row.value;
  }

  private query<T>(call: () => Promise<T>): Promise<T> {
    return whenMigrated(this.schema, call);
  }
}

/** The row without the column the outbox statement added beside it. */
function withoutExtra(row: UploadRow & { notified?: unknown }): UploadRow {
  const upload = { ...row };
  delete upload.notified;
  return upload;
}

function toUpload(row: UploadRow): Upload {
  return { ...row, size: Number(row.size), part_size: row.part_size === null ? null : Number(row.part_size) };
}
