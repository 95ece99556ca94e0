import { type ProblemException, unavailable } from '@dropgate/api/util-http';

/** SQLSTATE classes and codes that mean "the database, not the request": retry later. */
const UNAVAILABLE_STATES = /^(08|53|57P|58)/; // connection, resources, operator intervention, system
const STATEMENT_TIMEOUT = '57014';

/** Whether a failed query failed because the database could not serve it, not because of the query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || code === STATEMENT_TIMEOUT)) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ETIMEDOUT…
  return /timeout|terminated|Connection ended|connect/i.test(error.message);
}

/** 503 `database.unavailable`: nothing was signed or changed; try again shortly. */
export function databaseUnavailable(
  detail = 'The database cannot be reached right now; nothing was changed. Try again shortly',
): ProblemException {
  return unavailable('database.unavailable', detail);
}

/** Runs a database call; a database that cannot serve it becomes a 503, anything else is rethrown. */
export async function orUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw databaseUnavailable();
    throw error;
  }
}

/**
 * A repository's query: 503 before the schema is migrated (rather than a 500 for a table that
 * does not exist yet), and 503 for a database that cannot serve it.
 */
export function whenMigrated<T>(schema: { ready: boolean }, call: () => Promise<T>): Promise<T> {
  if (!schema.ready) {
    return Promise.reject(
      databaseUnavailable('The database is being migrated; nothing was changed. Try again shortly'),
    );
  }
  return orUnavailable(call);
}
