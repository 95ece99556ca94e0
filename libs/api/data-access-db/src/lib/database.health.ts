import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import { DB } from './kysely.provider';
import { MigrationsService } from './migrations.service';

/** Readiness: the schema is migrated and the database answers `SELECT 1`. */
@Injectable()
export class DatabaseHealth {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    private readonly migrations: MigrationsService,
  ) {}

  /** Undefined when ready; otherwise why not. */
  async problem(): Promise<string | undefined> {
    if (this.migrations.problem) return `the schema is not migrated: ${this.migrations.problem}`;
    try {
      await sql`SELECT 1`.execute(this.db);
      return undefined;
    } catch (error) {
      return `the database does not answer: ${(error as Error).message}`;
    }
  }
}
