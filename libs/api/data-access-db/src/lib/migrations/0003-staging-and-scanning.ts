import { sql, type Kysely } from 'kysely';
import { UPLOAD_STATUSES } from '@dropgate/shared/api-contract';

// Clients write only to a staging key; the server copies a verified, scanned object to `key`.
// Older rows have no staging key: their object was written to `key` itself.
//
// The status CHECK is made from the contract's list, so it cannot drift from the statuses the
// API writes. A later migration that adds a status re-creates it the same way.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('staging_key', 'text', (c) => c.unique())
    .addColumn('sweep_after', 'timestamptz')
    .addColumn('scan', 'text')
    .addColumn('released_by', 'text')
    .addColumn('released_at', 'timestamptz')
    .addColumn('release_reason', 'text')
    .execute();
  await sql`ALTER TABLE uploads DROP CONSTRAINT uploads_status_check`.execute(db);
  await sql`ALTER TABLE uploads ADD CONSTRAINT uploads_status_check CHECK (status IN (${sql.join(
    UPLOAD_STATUSES.map((status) => sql.lit(status)),
  )}))`.execute(db);
  await sql`COMMENT ON COLUMN uploads.sweep_after IS 'When the staging object may be deleted: no policy or part URL can write it any more'`.execute(
    db,
  );
  // The scan worker's queue, and the staging sweep's.
  await db.schema
    .createIndex('uploads_scanning')
    .on('uploads')
    .column('completed_at')
    .where(sql.ref('status'), '=', 'scanning')
    .execute();
  await db.schema
    .createIndex('uploads_sweep')
    .on('uploads')
    .column('sweep_after')
    .where(sql.ref('sweep_after'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('uploads_sweep').execute();
  await db.schema.dropIndex('uploads_scanning').execute();
  await sql`ALTER TABLE uploads DROP CONSTRAINT uploads_status_check`.execute(db);
  await sql`ALTER TABLE uploads ADD CONSTRAINT uploads_status_check
    CHECK (status IN ('pending', 'available', 'rejected', 'expired', 'canceled', 'deleted'))`.execute(db);
  await db.schema
    .alterTable('uploads')
    .dropColumn('release_reason')
    .dropColumn('released_at')
    .dropColumn('released_by')
    .dropColumn('scan')
    .dropColumn('sweep_after')
    .dropColumn('staging_key')
    .execute();
}
