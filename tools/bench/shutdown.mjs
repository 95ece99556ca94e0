// Shutdown under a backlog: 50,000 pending uploads whose policies expired an hour ago, written
// straight into a database of their own (as the settlement spec writes 20,000), then the API
// started with a one-second reconcile poll. Once the reconciler is under way (the pending count
// drops), SIGTERM: the figure is the time until the process exits, against the drain period it ran
// with. The reconciler should stop between rows, so the backlog adds little to the drain.
import { startApi, stopServer } from './servers.mjs';
import { withClient } from './services.mjs';

const PORT = 3219;
const ROWS = 50_000;
const DRAIN_SECONDS = 2;
/** Past the goal (drain + 5 s) by far: the process is killed then, and the row says so. */
const KILL_AFTER_MS = 60_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function shutdownRow(env, { say }) {
  const pending = () =>
    withClient(env.DATABASE_URL, async (c) =>
      Number((await c.query(`SELECT count(*) FROM uploads WHERE status = 'pending'`)).rows[0].count),
    );
  say(`shutdown: ${ROWS.toLocaleString('en-US')} expired pending uploads`);
  await withClient(env.DATABASE_URL, (c) =>
    c.query(
      `INSERT INTO uploads (id, owner_issuer, owner_subject, owner_segment, key, staging_key, file_name,
         content_type, size, status, expires_at)
       SELECT gen_random_uuid(), 'https://idp', 'loader', 'loader', 'uploads/backlog/' || g,
         'incoming/backlog/' || g, 'f.txt', 'text/plain', 1, 'pending', now() - interval '1 hour'
       FROM generate_series(1, $1::int) g`,
      [ROWS],
    ),
  );
  const child = await startApi(
    { ...env, RECONCILE_INTERVAL_SECONDS: '1', SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) },
    PORT,
  );
  try {
    const deadline = performance.now() + 60_000;
    let before;
    while ((before = await pending()) === ROWS) {
      if (performance.now() > deadline) throw new Error('the reconciler settled no row within 60 s');
      await sleep(50);
    }
    const exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
    );
    const signalled = performance.now();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    const { code, signal, at } = await exited;
    clearTimeout(killer);
    const left = await pending();
    return {
      rows: ROWS,
      drainSeconds: DRAIN_SECONDS,
      seconds: (at - signalled) / 1000,
      exit: signal ?? code,
      settledBeforeSigterm: ROWS - before,
      settledByExit: ROWS - left,
    };
  } finally {
    await stopServer(child);
  }
}
