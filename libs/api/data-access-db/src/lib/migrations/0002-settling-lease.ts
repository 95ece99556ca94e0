import { sql, type Kysely } from 'kysely';

// A settling lease: whoever settles an upload (complete, delete, the reconciler) first takes the
// row for a while, does its storage work outside any transaction, then writes the outcome only
// if it still holds the row. `settling_until` also delays a row whose settling failed (backoff).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('settling_owner', 'text')
    .addColumn('settling_until', 'timestamptz')
    .addColumn('settle_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`COMMENT ON COLUMN uploads.settling_owner IS 'The instance settling this upload, until settling_until'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .dropColumn('settle_attempts')
    .dropColumn('settling_until')
    .dropColumn('settling_owner')
    .execute();
}
