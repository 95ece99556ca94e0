import {
  appliedOrThrow,
  createMigrationDb,
  dbConfig,
  migrateDown,
  migrateToLatest,
} from '@dropgate/api/data-access-db';

/** A `migrate` command line that cannot be run; its message says what to type instead. */
export class MigrateUsageError extends Error {}

/**
 * `main.js migrate [down]`: applies every pending migration (or reverts the latest one) on
 * DATABASE_URL and exits, without starting the API.
 */
export async function migrateOnly(direction: string | undefined): Promise<void> {
  if (direction !== undefined && direction !== 'down') {
    throw new MigrateUsageError(
      `unknown migrate argument "${direction}": use \`migrate\` or \`migrate down\``,
    );
  }
  // Its own connection, without the requests' statement timeout: a migration may take longer.
  const db = createMigrationDb(dbConfig());
  try {
    if (direction === 'down') {
      const reverted = appliedOrThrow(await migrateDown(db));
      console.log(reverted.length ? `migration reverted: ${reverted.join(', ')}` : 'nothing to revert');
    } else {
      const applied = appliedOrThrow(await migrateToLatest(db));
      console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');
    }
  } finally {
    await db.destroy();
  }
}
