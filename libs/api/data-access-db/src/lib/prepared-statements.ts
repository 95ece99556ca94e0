import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** What marks a statement to be prepared: SQL that starts with it. */
const MARK = '/* prepared */ ';

/**
 * `sql`, marked to run as a prepared statement: PostgreSQL parses and plans it once per
 * connection, and each later run sends only its values. For the statements every request runs
 * (a create's INSERT); the mark is a comment, so a client that does not prepare runs it as it is.
 * Mark only SQL whose text comes from a bounded set: each text stays prepared on each connection
 * for as long as the connection lives.
 */
export const prepared = (sql: string): string => MARK + sql;

/**
 * The name a marked statement is prepared under: from its text alone, so that a text keeps its
 * name on every connection and a name never stands for two texts.
 */
export const statementName = (text: string): string =>
  `dropgate_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = statementName(text);
    names.set(text, name);
  }
  return name;
}

/**
 * What PostgreSQL answers when the session's prepared statements are not the ones this client
 * prepared: one is gone (`DEALLOCATE`, `DISCARD ALL`, or a pooler that handed the client another
 * server session), or one is already there (a pooler's session that another client prepared).
 */
const GONE = '26000';
const ALREADY_THERE = '42P05';

const FIX =
  ' (behind a pooler that does not keep each client’s prepared statements, such as PgBouncer in transaction mode without max_prepared_statements, set DATABASE_PREPARED_STATEMENTS=false)';

type ClientWithStatements = Client & { connection?: { parsedStatements?: Record<string, string> } };

/**
 * A pg client that runs marked statements (`prepared(sql)`) prepared, and every other statement
 * as pg would. Given to the pool as its `Client`, so that every connection it opens does so.
 */
export class PreparingClient extends Client {}

// pg's `query` has a dozen overloads, which a class method cannot override with a type of its
// own: the override goes on the prototype, typed as pg's.
const pgQuery = Client.prototype.query as (this: Client, ...args: unknown[]) => Promise<unknown> | undefined;
PreparingClient.prototype.query = function (
  this: ClientWithStatements,
  text: unknown,
  values?: unknown,
  callback?: unknown,
) {
  // Kysely's form: a text, its values, and a promise for the result. A callback (pool.query), a
  // config object or a cursor stays as pg has it.
  if (!(typeof text === 'string' && text.startsWith(MARK) && Array.isArray(values) && callback === undefined))
    return pgQuery.call(this, text, values, callback);
  const name = nameOf(text);
  return pgQuery.call(this, { name, text, values })?.catch((error: { code?: string; message: string }) => {
    const parsed = this.connection?.parsedStatements;
    if (error.code === GONE) {
      // pg would skip the Parse on this connection from now on, and every run would fail: the
      // next one prepares the statement again.
      if (parsed) delete parsed[name];
      error.message += FIX;
    } else if (error.code === ALREADY_THERE) {
      // The session holds a statement of this name, so of this text: the next run uses it.
      if (parsed) parsed[name] = text;
      error.message += FIX;
    }
    throw error;
  });
} as Client['query'];
