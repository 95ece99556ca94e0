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

const names = new Map<string, string>();

/** The statement's name, the same on every connection and for every instance: from its text. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `dropgate_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A pg client that runs marked statements (`prepared(sql)`) prepared, and every other statement
 * as pg would. Given to the pool as its `Client`, so that every connection it opens does so.
 */
export class PreparingClient extends Client {}

const query = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;
PreparingClient.prototype.query = function (
  this: Client,
  text: unknown,
  values?: unknown,
  callback?: unknown,
) {
  // Only the form Kysely uses (text and values, answered by a promise) is rewritten.
  if (typeof text === 'string' && text.startsWith(MARK) && Array.isArray(values) && callback === undefined)
    return query.call(this, { name: nameOf(text), text, values });
  return query.call(this, text, values, callback);
} as Client['query'];
