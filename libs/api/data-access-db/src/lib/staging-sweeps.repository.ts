import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import { whenMigrated } from './database-unavailable';
import { DB } from './kysely.provider';
import { MigrationsService } from './migrations.service';

/** A staging object to delete, claimed until `claimedUntil`. */
export interface StagingSweep {
  id: string;
  stagingKey: string;
  claimedUntil: Date;
}

/**
 * The staging objects of settled uploads, due to be deleted once no policy can write them again
 * (`sweep_after`); the reconciler's second queue.
 */
@Injectable()
export class StagingSweepsRepository {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    private readonly schema: MigrationsService,
  ) {}

  /**
   * Takes up to `batch` staging objects that are due to be deleted, moving their time to `until`
   * (the lease: another instance takes them again only if this one has not finished by then).
   */
  async claim(batch: number, until: Date): Promise<StagingSweep[]> {
    const rows = await this.query(() =>
      this.db
        .updateTable('uploads')
        .set({ sweep_after: until })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('uploads')
            .select('id')
            .where('sweep_after', '<', sql<Date>`now()`)
            .orderBy('sweep_after')
            .limit(batch)
            .forUpdate()
            .skipLocked(),
        )
        .returning(['id', 'staging_key', 'sweep_after'])
        .execute(),
    );
    return rows.flatMap((row) =>
      row.staging_key && row.sweep_after
        ? [{ id: row.id, stagingKey: row.staging_key, claimedUntil: row.sweep_after }]
        : [],
    );
  }

  /**
   * Marks staging objects deleted, in one statement; each unless another instance claimed it
   * again meanwhile.
   */
  async swept(sweeps: readonly StagingSweep[]): Promise<void> {
    if (sweeps.length === 0) return;
    await this.query(() =>
      sql`UPDATE uploads SET sweep_after = NULL
        FROM unnest(${sweeps.map((s) => s.id)}::uuid[], ${sweeps.map((s) => s.claimedUntil)}::timestamptz[])
          AS swept(id, claimed_until)
        WHERE uploads.id = swept.id AND uploads.sweep_after = swept.claimed_until`.execute(this.db),
    );
  }

  private query<T>(call: () => Promise<T>): Promise<T> {
    return whenMigrated(this.schema, call);
  }
}
