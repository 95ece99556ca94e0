import { Client } from 'pg';
import { databaseEnv } from './gateway';

/** Runs `use` with a client of the database at `url`, and closes it. */
export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The URL of a database of that name on the test server, made anew and empty. */
export async function emptyDatabase(name: string): Promise<string> {
  await withClient(databaseEnv.DATABASE_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return databaseEnv.DATABASE_URL.replace(/\/dropgate$/, `/${name}`);
}

/**
 * Makes the staging sweep of an upload due now, as it is once no policy or part URL can write
 * its staging key again.
 */
export async function sweepDueNow(id: string, url = databaseEnv.DATABASE_URL): Promise<void> {
  await withClient(url, (c) =>
    c.query(`UPDATE uploads SET sweep_after = now() WHERE id = $1 AND sweep_after IS NOT NULL`, [id]),
  );
}

export const dropDatabase = (name: string) =>
  withClient(databaseEnv.DATABASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
