import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Database } from './database';
import { DB } from './kysely.provider';
import { appliedOrThrow, migrateToLatest } from './migrate';

const RETRY_MS = 5_000;

/**
 * Migrates at boot. When the database cannot be reached the API still starts (readiness says
 * why) and tries again every few seconds, so that a database that comes up later is used as soon
 * as it is migrated.
 */
@Injectable()
export class MigrationsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Migrations');
  private timer?: ReturnType<typeof setTimeout>;
  private lastError?: string;
  ready = false;

  constructor(@Inject(DB) private readonly db: Kysely<Database>) {}

  async onModuleInit(): Promise<void> {
    await this.attempt();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  /** Why the schema is not ready yet, for readiness. */
  get problem(): string | undefined {
    return this.ready ? undefined : (this.lastError ?? 'migrations have not run yet');
  }

  private async attempt(): Promise<void> {
    try {
      const applied = appliedOrThrow(await migrateToLatest(this.db));
      this.ready = true;
      this.lastError = undefined;
      this.logger.log(applied.length ? `applied ${applied.join(', ')}` : 'schema up to date');
    } catch (error) {
      this.lastError = (error as Error).message;
      this.logger.warn(`migrations not applied (${this.lastError}); retrying in ${RETRY_MS / 1000} s`);
      this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
      this.timer.unref();
    }
  }
}
