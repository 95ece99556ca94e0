// The fault timeline: each fault is done through the tool that owns the process (the cluster's
// `restart`, local-pg, local-redis, local-clamav) or by a signal to a pid that tool recorded, and
// returns its window: when it began, when the service was back, and which 5xx, if any, a client
// may see until `grace` seconds after that.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DIRS, GRACE_SECONDS, flagsOf } from './settings.mjs';
import { ROOT, clusterState, tool } from './stack.mjs';

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** `npm run cluster -- restart n`: out of nginx, drained, SIGTERM, started, ready, back in. */
async function restart(n, say) {
  const output = await tool('tools/cluster/cluster.mjs', 'restart', String(n), '--dir', DIRS.cluster);
  for (const line of output.split('\n')) say(`  ${line.replace(/^dropgate: /, '')}`);
}

const service = (name, command) =>
  tool(
    `tools/local-${name === 'clamd' ? 'clamav' : name}/local-${name === 'clamd' ? 'clamav' : name}.mjs`,
    command,
    ...flagsOf(name),
  );

/**
 * A window as the report and the checks read it. `outage` is the time the fault itself lasted
 * (for latency figures); `allowed` the 5xx statuses a client may see inside the window.
 */
function window(id, fault, expected, { start, recovered, outage, allowed = [], grace = 0, notes = {} }) {
  return {
    id,
    fault,
    expected,
    start,
    recovered,
    end: recovered + grace * 1000,
    grace,
    allowed,
    outage,
    notes,
  };
}

async function killInstance(n, mode, say, client) {
  const { pid } = clusterState().instances[n - 1];
  // A burst of creates, so that some are in flight on the instance when it dies (the workers
  // alone often have none there at that instant): their answers are lost after the work may
  // have committed, which is what the Idempotency-Key is for.
  for (let i = 0; i < 24; i++) client.begin(16 * 1024);
  const deadline = Date.now() + 2000;
  while (client.inFlight < 16 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 1));
  const start = Date.now();
  process.kill(pid, 'SIGKILL');
  say(`fault: SIGKILL to api-${n} (pid ${pid}); back with \`restart ${n}\` in ${mode.killHold} s`);
  await sleep(mode.killHold);
  await restart(n, say);
  const recovered = Date.now();
  return window(
    'kill',
    `api-${n} SIGKILLed, then \`restart ${n}\``,
    "the client's retries succeed through the others",
    {
      start,
      recovered,
      outage: { from: start, to: recovered },
      // Requests in flight on the killed instance: nginx answers 502 and does not resend a POST.
      allowed: [502, 503, 504],
      grace: GRACE_SECONDS.kill,
      notes: { pid },
    },
  );
}

async function drainInstance(n, say) {
  const start = Date.now();
  say(`fault: api-${n} drained and restarted (\`restart ${n}\`: out of nginx, SIGTERM, back)`);
  await restart(n, say);
  const recovered = Date.now();
  return window('drain', `api-${n} drained with SIGTERM (\`restart ${n}\`)`, 'nothing in flight is cut', {
    start,
    recovered,
    outage: { from: start, to: recovered },
  });
}

/**
 * Stops a local service, runs `during` while it is down, and starts it again. Returns when it
 * stopped, when its start began (requests sent while it starts may already be served), and when
 * it was back.
 */
async function downFor(name, during) {
  await service(name, 'stop');
  const stopped = Date.now();
  await during();
  const starting = Date.now();
  await service(name, 'start');
  return { stopped, starting, recovered: Date.now() };
}

async function restartPg(mode, say, client) {
  const pids = clusterState().instances.map((instance) => instance.pid);
  const start = Date.now();
  say(`fault: PostgreSQL stopped for ${mode.pgDown} s`);
  const { stopped, starting, recovered } = await downFor('pg', async () => {
    // The workers may all be in the middle of an upload: these send a create while it is down.
    client.begin(16 * 1024);
    await sleep(mode.pgDown / 2);
    client.begin(16 * 1024);
    await sleep(mode.pgDown / 2);
  });
  say('  PostgreSQL is back');
  return window(
    'pg',
    `PostgreSQL stopped ${mode.pgDown} s, started`,
    'no instance crashes; creates get 503 within 10 s, and recover',
    {
      start,
      recovered,
      outage: { from: stopped, to: starting },
      allowed: [503],
      grace: GRACE_SECONDS.pg,
      notes: { pids },
    },
  );
}

async function stopRedis(mode, say) {
  const start = Date.now();
  say(`fault: Redis stopped for ${mode.redisDown} s`);
  const { stopped, starting, recovered } = await downFor('redis', () => sleep(mode.redisDown));
  return window(
    'redis-stop',
    `Redis stopped ${mode.redisDown} s, started`,
    'memory fallback, answers within 150 ms, no 5xx',
    {
      start,
      recovered,
      outage: { from: stopped, to: starting },
    },
  );
}

async function freezeRedis(mode, say) {
  const pid = Number(readFileSync(join(ROOT, DIRS.redis, 'run', 'redis.pid'), 'utf8').trim());
  const start = Date.now();
  say(`fault: Redis frozen (SIGSTOP to pid ${pid}) for ${mode.redisFrozen} s`);
  process.kill(pid, 'SIGSTOP');
  try {
    await sleep(mode.redisFrozen);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  const recovered = Date.now();
  return window(
    'redis-freeze',
    `Redis frozen ${mode.redisFrozen} s (SIGSTOP, SIGCONT)`,
    'memory fallback, answers within 150 ms, no 5xx',
    {
      start,
      recovered,
      outage: { from: start, to: recovered },
    },
  );
}

async function restartClamd(mode, say) {
  const start = Date.now();
  say(`fault: clamd stopped for ${mode.clamdDown} s`);
  const { stopped, recovered } = await downFor('clamd', () => sleep(mode.clamdDown));
  say('  clamd is back');
  return window(
    'clamd',
    `clamd stopped ${mode.clamdDown} s, started`,
    'uploads wait in `scanning`, then settle',
    {
      start,
      recovered,
      outage: { from: stopped, to: recovered },
    },
  );
}

/** Runs every fault in turn (`client` uploads meanwhile), with `mode.gap` seconds of normal service between them; their windows. */
export async function runFaults(mode, say, client) {
  const windows = [];
  const steps = [
    () => killInstance(1, mode, say, client),
    () => drainInstance(2, say),
    () => restartPg(mode, say, client),
    () => stopRedis(mode, say),
    () => freezeRedis(mode, say),
    () => restartClamd(mode, say),
  ];
  await sleep(mode.warmup);
  for (const [i, step] of steps.entries()) {
    const window = await step();
    windows.push(window);
    // Past the window's grace too: windows never overlap, so each answer belongs to one fault.
    await sleep(Math.max(i === steps.length - 1 ? mode.tail : mode.gap, window.grace + 1));
  }
  return windows;
}
