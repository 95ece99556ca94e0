import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<unknown>: they describe the schema of their day, not today's types.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_issuer', 'text', (c) => c.notNull())
    .addColumn('owner_subject', 'text', (c) => c.notNull())
    .addColumn('owner_segment', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text')
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('md5', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status IN ('pending', 'available', 'rejected', 'expired', 'canceled', 'deleted')`),
    )
    .addColumn('status_reason', 'text')
    .addColumn('etag', 'text')
    .addColumn('method', 'text', (c) =>
      c
        .notNull()
        .defaultTo('post')
        .check(sql`method IN ('post', 'multipart')`),
    )
    .addColumn('s3_upload_id', 'text')
    .addColumn('part_size', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // A person's uploads, newest first (ids are time-ordered).
  await db.schema
    .createIndex('uploads_owner_id')
    .on('uploads')
    .columns(['owner_issuer', 'owner_subject', 'id desc'])
    .execute();
  // What the reconciler looks for.
  await db.schema
    .createIndex('uploads_pending_expiry')
    .on('uploads')
    .column('expires_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createTable('settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  // 256 random bits, made once by the database, shared by every instance.
  await sql`INSERT INTO settings (name, value)
    VALUES ('cursor_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('uploads').execute();
}
