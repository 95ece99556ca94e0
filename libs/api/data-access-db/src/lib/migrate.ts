// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- types of kysely/migration, see the file
/// <reference path="../kysely-migration.d.ts" />
import type { Kysely } from 'kysely';
import type { Database } from './database';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrationProvider } from './migrations';

/**
 * Applies every migration not applied yet. Kysely's Migrator holds a PostgreSQL advisory lock
 * (`pg_advisory_lock`) for the run, so instances that start together take turns, and the second
 * finds nothing left to do. Give it a connection without a statement timeout
 * (`createMigrationDb`): waiting for the lock counts as a statement.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  return new Migrator({ db, provider: migrationProvider }).migrateToLatest();
}

/** Reverts the latest migration (for tests and for a rollback by hand). */
export async function migrateDown(db: Kysely<Database>): Promise<MigrationResultSet> {
  return new Migrator({ db, provider: migrationProvider }).migrateDown();
}

/** The result set's error, thrown; the names of the migrations applied, returned. */
export function appliedOrThrow({ error, results = [] }: MigrationResultSet): string[] {
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
