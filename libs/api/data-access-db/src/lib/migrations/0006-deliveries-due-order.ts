import { sql, type Kysely } from 'kysely';

// The delivery workers claim pending deliveries by (next_attempt_at, seq). An index on the due
// time alone sorts the whole backlog when many share one due time (a recover requeues them all
// at now()): 45 ms a claim at 20,000 rows, against about 1 ms with the order in the index.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_due_order')
    .on('webhook_deliveries')
    .columns(['next_attempt_at', 'seq'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.dropIndex('webhook_deliveries_due').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.dropIndex('webhook_deliveries_due_order').execute();
}
