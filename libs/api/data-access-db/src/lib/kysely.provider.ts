import { Logger, type Provider } from '@nestjs/common';
import { Kysely, PostgresDialect } from 'kysely';
import { Client, Pool, type PoolConfig } from 'pg';
import { watchPool } from '@dropgate/api/util-metrics';
import type { Database } from './database';
import { dbConfig, type DbSettings } from './db.config';
import { PreparingClient } from './prepared-statements';

/** The injection token of the Kysely instance: `@Inject(DB) db: Kysely<Database>`. */
export const DB = Symbol('DB');

/** A pool that fails fast when the database is down, and bounds every statement. */
export function createDb(settings: DbSettings, logger = new Logger('Database')): Kysely<Database> {
  return kyselyOver(
    {
      max: settings.poolSize,
      statement_timeout: settings.statementTimeoutMs,
      // The client gives up a little after the server would have, for a server that stopped answering.
      query_timeout: settings.statementTimeoutMs + 1_000,
      idleTimeoutMillis: 30_000,
      application_name: 'dropgate-api',
      Client: settings.preparedStatements ? PreparingClient : Client,
      // Connections are renewed every ten minutes, so that what a session keeps (its prepared
      // statements, planned for the column types of their day) follows the schema that a later
      // migration leaves.
      maxLifetimeSeconds: 600,
    },
    settings,
    logger,
    true,
  );
}

/**
 * One connection for migrations, without the requests' statement timeout: a migration may wait
 * its turn under the advisory lock while another instance migrates, and may itself run for
 * longer than any request should.
 */
export function createMigrationDb(settings: DbSettings, logger = new Logger('Migrations')): Kysely<Database> {
  return kyselyOver({ max: 1, application_name: 'dropgate-api-migrations' }, settings, logger);
}

function kyselyOver(
  config: PoolConfig,
  settings: DbSettings,
  logger: Logger,
  metered = false,
): Kysely<Database> {
  const pool = new Pool({
    connectionString: settings.url,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    ...config,
  });
  // An idle connection that the server dropped: not fatal (the next query opens another), but
  // without a listener it would crash the process.
  pool.on('error', (error: Error) => logger.warn(`idle database connection lost: ${error.message}`));
  // The pool listens only to idle connections. One checked out (a transaction between two
  // statements) that the server drops, as a restart does (57P01), emits its error with nobody
  // listening, which would crash the process: its query fails instead, and the pool discards it.
  pool.on('connect', (client) =>
    client.on('error', (error: Error) => logger.warn(`database connection lost: ${error.message}`)),
  );
  // The requests' pool only: the migrations' single connection would blur what it shows.
  if (metered) watchPool(pool);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export const kyselyProvider: Provider = {
  provide: DB,
  inject: [dbConfig.KEY],
  useFactory: (settings: DbSettings) => createDb(settings),
};
