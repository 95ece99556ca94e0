import { Inject, Injectable } from '@nestjs/common';
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database, IdempotencyKeysTable } from './database';
import type { IdempotencyStore, KeptResponse, KeyOutcome, KeyedRequest } from '@dropgate/api/util-http';
import { withHeartbeat } from '@dropgate/api/util-jobs';
import { withinTransaction } from './ambient-transaction';
import { whenMigrated } from './database-unavailable';
import { DB } from './kysely.provider';
import { MigrationsService } from './migrations.service';

/** How long a key is remembered (IETF httpapi idempotency draft: the server says; we say 24 h). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;
/**
 * How long a complete holds its key without renewing it: a retry after that runs it afresh. The
 * lease is renewed every RENEW_EVERY_MS while the work runs (a long multipart join), so only a
 * request whose instance died lets its key go.
 */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 20_000;

type Found = Pick<IdempotencyKeysTable, 'fingerprint' | 'state' | 'response_status' | 'response_body'> & {
  lease_until: Date | null;
};

/**
 * Idempotency keys, per principal, kept 24 h. Two ways to run the work a key stands for:
 * `atomically`, inside the transaction that stores the key (a create: a crash before commit
 * leaves neither the upload nor the key, and the retry runs afresh); or `leased`, with the key
 * held while the work runs on connections of its own (a complete, which does storage work and is
 * itself safe to run again: a crash lets the lease run out and the retry runs afresh).
 */
@Injectable()
export class IdempotencyKeysRepository implements IdempotencyStore {
  /** How long a `leased` key is held unrenewed, and how often it is renewed (shorter in tests). */
  readonly lease = { ms: LEASE_MS, renewEveryMs: RENEW_EVERY_MS };

  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    private readonly schema: MigrationsService,
  ) {}

  atomically<T>(
    request: KeyedRequest,
    work: () => Promise<T>,
    keep: (result: T) => KeptResponse,
  ): Promise<KeyOutcome<T>> {
    return this.query(() =>
      this.db.transaction().execute(async (trx): Promise<KeyOutcome<T>> => {
        if (!(await tryLock(trx, request))) return { kind: 'in_flight' };
        const found = await findLive(trx, request);
        if (found) {
          const taken = decide(found, request);
          if (taken) return taken;
        }
        const result = await withinTransaction(trx, work);
        await upsert(trx, request, { state: 'done', lease_until: null, ...responseColumns(keep(result)) });
        return { kind: 'fresh', result };
      }),
    );
  }

  async leased<T>(
    request: KeyedRequest,
    work: () => Promise<T>,
    keep: (result: T) => KeptResponse,
  ): Promise<KeyOutcome<T>> {
    let lease = new Date(Date.now() + this.lease.ms);
    const taken = await this.query(() =>
      this.db.transaction().execute(async (trx): Promise<KeyOutcome<T> | undefined> => {
        if (!(await tryLock(trx, request))) return { kind: 'in_flight' };
        const found = await findLive(trx, request);
        const decided = found && decide(found, request);
        if (decided) return decided;
        await upsert(trx, request, {
          state: 'in_flight',
          lease_until: lease,
          response_status: null,
          response_body: null,
        });
        return undefined;
      }),
    );
    if (taken) return taken;
    const renew = async () => {
      const until = new Date(Date.now() + this.lease.ms);
      const renewed = await this.db
        .updateTable('idempotency_keys')
        .set({ lease_until: until })
        .where(keyRow(request))
        .where('state', '=', 'in_flight')
        .where('lease_until', '=', lease)
        .executeTakeFirst();
      if (renewed.numUpdatedRows > 0n) lease = until;
    };
    let result: T;
    try {
      result = await withHeartbeat(work, this.lease.renewEveryMs, renew);
    } catch (error) {
      // Nothing to replay: the key is let go, and a retry runs afresh.
      await this.query(() =>
        this.db
          .deleteFrom('idempotency_keys')
          .where(keyRow(request))
          .where('state', '=', 'in_flight')
          .execute(),
      ).catch(() => undefined);
      throw error;
    }
    const kept = responseColumns(keep(result));
    await this.query(() =>
      this.db
        .updateTable('idempotency_keys')
        .set({ state: 'done', lease_until: null, ...kept })
        .where(keyRow(request))
        .execute(),
    );
    return { kind: 'fresh', result };
  }

  /** Deletes up to `limit` keys past their 24 hours; how many. */
  async deleteExpired(limit: number): Promise<number> {
    const result = await this.query(() =>
      sql`DELETE FROM idempotency_keys WHERE ctid IN (
            SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${limit})`.execute(this.db),
    );
    return Number(result.numAffectedRows ?? 0);
  }

  private query<T>(call: () => Promise<T>): Promise<T> {
    return whenMigrated(this.schema, call);
  }
}

/** Two requests with one key take turns; the second is told to retry rather than wait. */
async function tryLock(trx: Transaction<Database>, { owner, key }: KeyedRequest): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    SELECT pg_try_advisory_xact_lock(hashtextextended(${owner.issuer} || ' ' || ${owner.subject} || ' ' || ${key}, 7)) AS locked`.execute(
    trx,
  );
  return rows[0]?.locked === true;
}

function findLive(trx: Transaction<Database>, request: KeyedRequest): Promise<Found | undefined> {
  return trx
    .selectFrom('idempotency_keys')
    .where(keyRow(request))
    .select(['fingerprint', 'state', 'lease_until', 'response_status', 'response_body'])
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/** What a kept key means for this request; undefined when the work is to run (a lapsed lease). */
function decide(found: Found, request: KeyedRequest): KeyOutcome<never> | undefined {
  if (found.fingerprint !== request.fingerprint) return { kind: 'key_reused' };
  if (found.state === 'done') {
    return {
      kind: 'replay',
      response: { status: found.response_status ?? 200, body: found.response_body ?? 'null' },
    };
  }
  return found.lease_until && found.lease_until.getTime() > Date.now() ? { kind: 'in_flight' } : undefined;
}

function upsert(
  trx: Transaction<Database>,
  request: KeyedRequest,
  columns: Pick<IdempotencyKeysTable, 'state' | 'response_status' | 'response_body'> & {
    lease_until: Date | null;
  },
) {
  const expires_at = new Date(Date.now() + IDEMPOTENCY_KEY_TTL_MS);
  return (
    trx
      .insertInto('idempotency_keys')
      .values({
        owner_issuer: request.owner.issuer,
        owner_subject: request.owner.subject,
        key: request.key,
        fingerprint: request.fingerprint,
        expires_at,
        ...columns,
      })
      // A row still there is an expired key or a lapsed lease: this request takes it over.
      .onConflict((oc) =>
        oc
          .columns(['owner_issuer', 'owner_subject', 'key'])
          .doUpdateSet({ fingerprint: request.fingerprint, expires_at, created_at: sql`now()`, ...columns }),
      )
      .execute()
  );
}

function responseColumns(response: KeptResponse) {
  return { response_status: response.status, response_body: response.body };
}

/** The row of this principal's key. */
function keyRow({ owner, key }: KeyedRequest) {
  return (eb: ExpressionBuilder<Database, 'idempotency_keys'>) =>
    eb.and({ owner_issuer: owner.issuer, owner_subject: owner.subject, key });
}
