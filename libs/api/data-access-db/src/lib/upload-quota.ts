import { sql, type Kysely, type Transaction } from 'kysely';
import type { UploadStatus } from '@dropgate/shared/api-contract';
import type { Database, NewUploadRow } from './database';
import type { Owner, QuotaExceeded } from './uploads.repository';

/** Statuses whose bytes count against a quota: every upload whose object is (or may be) stored. */
const COUNTED: UploadStatus[] = ['pending', 'scanning', 'available', 'held'];

/** The owner's pending and available bytes: what counts against a quota. */
export async function usedBytesOf(db: Kysely<Database>, owner: Owner): Promise<number> {
  const { used } = await db
    .selectFrom('uploads')
    .select(sql<string>`coalesce(sum(size), 0)`.as('used'))
    .where('owner_issuer', '=', owner.issuer)
    .where('owner_subject', '=', owner.subject)
    .where('status', 'in', COUNTED)
    .executeTakeFirstOrThrow();
  return Number(used);
}

/** The owner's bytes checked and the rows inserted under a lock on that owner, in `trx`. */
export async function insertWithinQuota(
  trx: Transaction<Database>,
  rows: NewUploadRow[],
  quotaBytes: number,
): Promise<{ inserted: number } | QuotaExceeded> {
  const [{ owner_issuer: issuer, owner_subject: subject }] = rows;
  if (rows.some((row) => row.owner_issuer !== issuer || row.owner_subject !== subject))
    throw new Error('one owner per insert: the quota is checked for one owner');
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${issuer} || ' ' || ${subject}, 0))`.execute(trx);
  const usedBytes = await usedBytesOf(trx, { issuer, subject });
  const adding = rows.reduce((total, row) => total + Number(row.size), 0);
  if (usedBytes + adding > quotaBytes) {
    return { quotaExceeded: { usedBytes, limitBytes: quotaBytes } };
  }
  await trx.insertInto('uploads').values(rows).execute();
  return { inserted: rows.length };
}
