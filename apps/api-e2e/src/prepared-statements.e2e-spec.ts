import { CompiledQuery, sql, type Kysely } from 'kysely';
import { createDb, prepared, statementName, type Database } from '@dropgate/api/data-access-db';
import { databaseEnv } from './support/gateway';

/** The requests' pool as the API makes it, of one connection, so that every query shares its session. */
const oneConnection = (preparedStatements: boolean) =>
  createDb({
    url: databaseEnv.DATABASE_URL,
    poolSize: 1,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 3_000,
    preparedStatements,
  });

/** The statements this session has prepared, as PostgreSQL lists them. */
const preparedOf = async (db: Kysely<Database>) =>
  (
    await sql<{
      name: string;
      statement: string;
    }>`SELECT name, statement FROM pg_prepared_statements ORDER BY name`.execute(db)
  ).rows;

const run = async (db: Kysely<Database>, text: string, values: unknown[]) =>
  (await db.executeQuery<{ n: number }>(CompiledQuery.raw(text, values))).rows;

describe('prepared statements', () => {
  let db: Kysely<Database> | undefined;
  afterEach(() => db?.destroy());

  it('should prepare a marked statement once per connection and run it with each call’s values', async () => {
    db = oneConnection(true);
    const text = prepared('SELECT $1::int + 1 AS n');
    expect(await run(db, text, [1])).toEqual([{ n: 2 }]);
    expect(await run(db, text, [41])).toEqual([{ n: 42 }]);
    expect(await run(db, 'SELECT $1::int * 2 AS n', [21])).toEqual([{ n: 42 }]);
    const statements = await preparedOf(db);
    expect(statements).toEqual([{ name: expect.stringMatching(/^dropgate_[0-9a-f]{24}$/), statement: text }]);
  });

  it('should give each text its own name, and one text the same name on every connection', async () => {
    db = oneConnection(true);
    await run(db, prepared('SELECT $1::int AS n'), [1]);
    await run(db, prepared('SELECT $1::int - 1 AS n'), [1]);
    const [first, second] = await preparedOf(db);
    expect(first.name).not.toBe(second.name);
    await db.destroy();
    db = oneConnection(true);
    await run(db, prepared('SELECT $1::int AS n'), [2]);
    expect((await preparedOf(db)).map((s) => s.name)).toContain(
      [first, second].find((s) => s.statement === prepared('SELECT $1::int AS n'))?.name,
    );
  });

  it('should run a marked statement unprepared, as it is, with DATABASE_PREPARED_STATEMENTS=false', async () => {
    db = oneConnection(false);
    expect(await run(db, prepared('SELECT $1::int + 1 AS n'), [1])).toEqual([{ n: 2 }]);
    expect(await preparedOf(db)).toEqual([]);
  });

  it('should answer a marked statement’s error as the database gave it, and keep the connection usable', async () => {
    db = oneConnection(true);
    const text = prepared('SELECT 1 / $1::int AS n');
    await expect(run(db, text, [0])).rejects.toMatchObject({ code: '22012' });
    expect(await run(db, text, [1])).toEqual([{ n: 1 }]);
  });

  it('should prepare again a statement whose first parse failed, once what it reads exists', async () => {
    db = oneConnection(true);
    const text = prepared('SELECT n FROM prepared_check WHERE n = $1::int');
    await expect(run(db, text, [1])).rejects.toMatchObject({ code: '42P01' });
    await sql`CREATE TEMPORARY TABLE prepared_check (n int)`.execute(db);
    await sql`INSERT INTO prepared_check VALUES (1)`.execute(db);
    expect(await run(db, text, [1])).toEqual([{ n: 1 }]);
  });

  it('should keep a statement prepared through a rolled-back transaction', async () => {
    db = oneConnection(true);
    const text = prepared('SELECT $1::int + 1 AS n');
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await run(trx, text, [1])).toEqual([{ n: 2 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await run(db, text, [2])).toEqual([{ n: 3 }]);
    expect((await preparedOf(db)).map((s) => s.statement)).toEqual([text]);
  });

  it('should name the fix when the session lost the statement, and prepare it again on the next run', async () => {
    db = oneConnection(true);
    const text = prepared('SELECT $1::int * 3 AS n');
    await run(db, text, [1]);
    // What a pooler does when it hands the client another server session, or DISCARD ALL.
    await sql`DEALLOCATE ALL`.execute(db);
    await expect(run(db, text, [1])).rejects.toMatchObject({
      code: '26000',
      message: expect.stringContaining('set DATABASE_PREPARED_STATEMENTS=false'),
    });
    expect(await run(db, text, [2])).toEqual([{ n: 6 }]);
  });

  it('should name the fix when the session already holds the statement, and use it on the next run', async () => {
    db = oneConnection(true);
    const text = prepared('SELECT $1::int * 5 AS n');
    // What a pooler's server session holds when another client prepared the same text there.
    await sql.raw(`PREPARE ${statementName(text)} AS ${text}`).execute(db);
    await expect(run(db, text, [1])).rejects.toMatchObject({
      code: '42P05',
      message: expect.stringContaining('set DATABASE_PREPARED_STATEMENTS=false'),
    });
    expect(await run(db, text, [2])).toEqual([{ n: 10 }]);
  });
});
