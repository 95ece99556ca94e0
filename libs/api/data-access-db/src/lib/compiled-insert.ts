import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, NewUploadRow } from './database';
import { prepared } from './prepared-statements';

/**
 * `INSERT INTO uploads …`, compiled by Kysely once per shape (the columns given, and
 * how many rows) and then run with each call's values: the hot create no longer builds and
 * compiles a query tree for every request. A shape whose compiled parameters do not line up with
 * its rows' values, column by column, is never cached, and Kysely builds it each time. Nothing is
 * returned: the caller built every value it needs, and reading each row back (25 columns, parsed)
 * cost a third of the client's time per insert. The one-row insert, every single create's, is
 * also prepared on each connection (`prepared`): the database parses and plans it once rather than
 * on every create. A batch's, one text per row count, is not, so that what each connection keeps
 * prepared stays small.
 */
export class CompiledUploadInserts {
  private readonly compiled = new Map<string, string | null>();

  async insert(db: Kysely<Database>, rows: NewUploadRow[]): Promise<void> {
    const columns = Object.keys(rows[0]) as (keyof NewUploadRow)[];
    const names = columns.join(',');
    const shape = `${rows.length}:${names}`;
    const sameShape = rows.length === 1 || rows.every((row) => Object.keys(row).join(',') === names);
    const parameters = rows.flatMap((row) => columns.map((column) => row[column]));
    let sql = sameShape ? this.compiled.get(shape) : null;
    if (sql === undefined) {
      const query = db.insertInto('uploads').values(rows).compile();
      const lined =
        query.parameters.length === parameters.length &&
        query.parameters.every((p, i) => p === parameters[i]);
      sql = !lined ? null : rows.length === 1 ? prepared(query.sql) : query.sql;
      this.compiled.set(shape, sql);
    }
    if (!sql) await db.insertInto('uploads').values(rows).execute();
    else await db.executeQuery(CompiledQuery.raw(sql, parameters));
  }
}
