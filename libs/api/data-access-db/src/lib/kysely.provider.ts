import { Logger, type Provider } from '@nestjs/common';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { Database } from './database';
import { dbConfig, type DbSettings } from './db.config';

/** The injection token of the Kysely instance: `@Inject(DB) db: Kysely<Database>`. */
export const DB = Symbol('DB');

/** A pool that fails fast when the database is down, and bounds every statement. */
export function createDb(settings: DbSettings, logger = new Logger('Database')): Kysely<Database> {
  const pool = new Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // The client gives up a little after the server would have, for a server that stopped answering.
    query_timeout: settings.statementTimeoutMs + 1_000,
    idleTimeoutMillis: 30_000,
    application_name: 'dropgate-api',
  });
  // An idle connection that the server dropped: not fatal (the next query opens another), but
  // without a listener it would crash the process.
  pool.on('error', (error: Error) => logger.warn(`idle database connection lost: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export const kyselyProvider: Provider = {
  provide: DB,
  inject: [dbConfig.KEY],
  useFactory: (settings: DbSettings) => createDb(settings),
};
