import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { dbConfig, type DbSettings } from './db.config';
import { createMigrationDb } from './kysely.provider';
import { appliedOrThrow, migrateToLatest } from './migrate';

const RETRY_MS = 5_000;
/** How long the boot waits for the schema before it serves anyway, with 503 until it is ready. */
const BOOT_WAIT_MS = 10_000;

/**
 * Migrates at boot, on a connection of its own. The boot waits for it a while, so that an
 * instance usually serves with its schema ready; past that (another instance holds the lock for
 * a long migration), or when the database cannot be reached, the API starts anyway: readiness
 * says why, requests get 503 `database.unavailable`, and a failed run is tried again every few
 * seconds, so that a database that comes up later is used as soon as it is migrated.
 */
@Injectable()
export class MigrationsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Migrations');
  private timer?: ReturnType<typeof setTimeout>;
  private lastError?: string;
  private stopped = false;
  ready = false;

  constructor(@Inject(dbConfig.KEY) private readonly settings: DbSettings) {}

  async onModuleInit(): Promise<void> {
    let wait: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<false>((resolve) => (wait = setTimeout(() => resolve(false), BOOT_WAIT_MS)));
    const finished = await Promise.race([this.attempt().then(() => true), waited]);
    clearTimeout(wait);
    if (!finished) {
      this.logger.warn(
        `migrations still running after ${BOOT_WAIT_MS / 1000} s (another instance may hold the lock); serving 503 database.unavailable until the schema is ready`,
      );
    }
  }

  /** Leaves a run in progress to the process's exit: the database rolls it back and frees the lock. */
  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Why the schema is not ready yet, for readiness. */
  get problem(): string | undefined {
    if (this.ready) return undefined;
    return this.lastError ?? 'migrations have not finished yet';
  }

  private async attempt(): Promise<void> {
    const db = createMigrationDb(this.settings, this.logger);
    try {
      const applied = appliedOrThrow(await migrateToLatest(db));
      this.ready = true;
      this.lastError = undefined;
      this.logger.log(applied.length ? `applied ${applied.join(', ')}` : 'schema up to date');
    } catch (error) {
      this.lastError = (error as Error).message;
      if (this.stopped) return;
      this.logger.warn(`migrations not applied (${this.lastError}); retrying in ${RETRY_MS / 1000} s`);
      this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
      this.timer.unref();
    } finally {
      await db.destroy().catch(() => undefined);
    }
  }
}
