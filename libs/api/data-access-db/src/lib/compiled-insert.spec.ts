import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import type { Database, NewUploadRow } from './database';
import { CompiledUploadInserts } from './compiled-insert';
import { prepared } from './prepared-statements';

/** Kysely over a driver that runs nothing, recording every query it is given. */
function recordingDb() {
  const queries: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const executeQuery = db.executeQuery.bind(db);
  db.executeQuery = ((query: CompiledQuery) => (
    queries.push(query),
    executeQuery(query)
  )) as typeof db.executeQuery;
  return { db, queries };
}

const row = (id: string, fileName: string) =>
  ({ id, key: `k/${fileName}`, file_name: fileName, size: 5, status: 'pending' }) as unknown as NewUploadRow;

describe('CompiledUploadInserts', () => {
  it('should run the compiled statement again with each call’s values, in column order', async () => {
    const { db, queries } = recordingDb();
    const build = jest.spyOn(db, 'insertInto');
    const sut = new CompiledUploadInserts();
    await sut.insert(db, [row('1', 'a.pdf')]);
    await sut.insert(db, [row('2', 'b.pdf')]);
    expect(build).toHaveBeenCalledTimes(1);
    const [first, second] = queries;
    expect(second.sql).toBe(first.sql);
    expect(second.sql).toBe(
      prepared(
        'insert into "uploads" ("id", "key", "file_name", "size", "status") values ($1, $2, $3, $4, $5)',
      ),
    );
    expect(second.parameters).toEqual(['2', 'k/b.pdf', 'b.pdf', 5, 'pending']);
  });

  it('should compile each shape of its own: another row count, or another column order', async () => {
    const { db, queries } = recordingDb();
    const sut = new CompiledUploadInserts();
    await sut.insert(db, [row('1', 'a.pdf'), row('2', 'b.pdf')]);
    const { id, ...rest } = row('3', 'c.pdf') as unknown as Record<string, unknown>;
    await sut.insert(db, [{ ...rest, id } as unknown as NewUploadRow]);
    const [pair, reordered] = queries;
    expect(pair.parameters).toEqual([
      '1',
      'k/a.pdf',
      'a.pdf',
      5,
      'pending',
      '2',
      'k/b.pdf',
      'b.pdf',
      5,
      'pending',
    ]);
    // A batch's statement is not prepared; a single row's is, whatever its columns.
    expect(pair.sql).toMatch(/^insert into "uploads"/);
    expect(reordered.sql).toMatch(
      /^\/\* prepared \*\/ insert into "uploads" \("key", "file_name", "size", "status", "id"\)/,
    );
    expect(reordered.parameters).toEqual(['k/c.pdf', 'c.pdf', 5, 'pending', '3']);
  });
});
