import { createHash } from 'node:crypto';
import { Client, type QueryConfig } from 'pg';
import { PreparingClient, prepared, statementName } from './prepared-statements';

/** A client that never connects: what each call would send is left in its queue, unsent. */
function queued(use: (client: Client) => void): { name?: string; text?: string; values?: unknown[] }[] {
  const client = new PreparingClient();
  use(client);
  const queue = (client as unknown as { _queryQueue: QueryConfig[] })._queryQueue;
  return queue.map(({ name, text, values }) => ({ name, text, values }));
}

describe('statementName', () => {
  it('should name a text by its SHA-256 alone, the same for every process', () => {
    const text = prepared('SELECT $1::int AS n');
    const digest = createHash('sha256').update(text).digest('hex');
    expect(statementName(text)).toBe(`dropgate_${digest.slice(0, 24)}`);
    expect(statementName(prepared('SELECT $1::int AS m'))).not.toBe(statementName(text));
  });
});

describe('PreparingClient', () => {
  const marked = prepared('SELECT $1::int AS n');

  it('should send a marked text with values, promised, as a named statement', () => {
    const [query] = queued((c) => void c.query(marked, [1]).catch(() => undefined));
    expect(query).toEqual({ name: statementName(marked), text: marked, values: [1] });
  });

  it.each<[string, (c: Client) => unknown, string]>([
    ['an unmarked text with values', (c) => c.query('SELECT $1::int AS n', [1]), 'SELECT $1::int AS n'],
    ['a marked text without values', (c) => c.query(marked), marked],
    ['a marked text with a callback', (c) => c.query(marked, [1], () => undefined), marked],
    ['a config object', (c) => c.query({ text: marked, values: [1] }), marked],
  ])('should leave %s as pg would send it, unnamed', (_case, call, text) => {
    const [query] = queued((c) => {
      const result = call(c);
      if (result instanceof Promise) result.catch(() => undefined);
    });
    expect(query).toEqual(expect.objectContaining({ name: undefined, text }));
  });
});
