import { sql, type Kysely } from 'kysely';

// Idempotency-Key (IETF httpapi draft, sections 2.6–2.7): the first successful response to a
// key, kept for 24 hours per principal and replayed to a retry with the same request. A create's
// key is written in the transaction that writes its upload; a complete's is held under a lease
// while the complete runs (a crash lets the lease run out, and the retry then runs afresh).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('owner_issuer', 'text', (c) => c.notNull())
    .addColumn('owner_subject', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    // SHA-256 of the method, route, parameters and body: the same key with another request is refused.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('in_flight', 'done')`))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['owner_issuer', 'owner_subject', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expires_at')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
