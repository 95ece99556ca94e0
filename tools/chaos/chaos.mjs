#!/usr/bin/env node
// `npm run chaos`: the fault test. Three built API instances behind nginx (`npm run cluster`)
// with their own PostgreSQL, identity provider, clamd and Redis, and the test gateway for S3; a
// client uploads throughout (POST and multipart, Idempotency-Keys, retries) while an instance is
// SIGKILLed, another drained, PostgreSQL restarted, Redis stopped and then frozen, and clamd
// stopped. Then it checks the database and the bucket, prints markdown tables, writes JSON to
// tmp/chaos/, and exits non-zero when a check failed. `--quick` is the short form CI runs.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { API_MAIN } from '../run/api-runtime.mjs';
import { ChaosClient } from './client.mjs';
import { LoopLag } from './loop-lag.mjs';
import { Probe } from './probe.mjs';
import { endChecks } from './checks.mjs';
import { runFaults } from './faults.mjs';
import { markdown, redisLatency, windowFigures } from './report.mjs';
import { DIRS, GRACE_SECONDS, INSTANCES, MODES, PORTS, RESULTS_DIR } from './settings.mjs';
import { ROOT, cleanup, clusterState, startStack } from './stack.mjs';

const USAGE = `usage: npm run chaos [-- --quick] [--skip-build] [--out DIR]
       npm run chaos -- cleanup     stop what a killed run left, delete its folders

  --quick       the short form (CI): the same faults, shorter, 4 clients, small files and one in parts
  --skip-build  run the API already built in dist/ (default: \`nx build api\` first)
  --out DIR     where the JSON and the cluster's output go (default ${RESULTS_DIR})`;

const say = (message) => console.error(`chaos: ${message}`);
/** How long the clients may take to finish what they began once the faults are over. */
const FINISH_MS = 12 * 60_000;
const alive = (pid) => Boolean(pid) && existsSync(`/proc/${pid}`);

/** Which end checks decide whether a fault's row is met, beyond its window's statuses. */
const ROW_CHECKS = {
  kill: ['SIGKILL: every call the kill cut succeeded on a retry'],
  pg: ['PostgreSQL down: creates get 503 within 10 s, then succeed', 'no instance crashed'],
  clamd: ['clamd down: uploads wait in scanning, then settle'],
};

function buildApi() {
  say('building the API (nx build api)');
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npx', ['nx', 'build', 'api', '--output-style=static'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: ['ignore', 2, 2],
    });
    child.once('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`the build failed (exit ${code})`)),
    );
  });
}

/** Waits for the clients to finish; how many uploads were still under way when patience ran out. */
async function finish(client, running) {
  client.stop();
  say('faults over: the clients finish the uploads under way');
  let timer;
  const timedOut = new Promise(
    (resolvePromise) => (timer = setTimeout(resolvePromise, FINISH_MS, 'timeout')),
  );
  const outcome = await Promise.race([running.then(() => 'done'), timedOut]);
  clearTimeout(timer);
  return outcome === 'done' ? 0 : client.creates.length - client.done.length - client.failed.length;
}

/** One run: start, faults, checks, report. Returns the result; cleans up whatever happens. */
export async function runChaos({ quick = false, build = true, out = RESULTS_DIR } = {}) {
  const mode = MODES[quick ? 'quick' : 'full'];
  const runId = `chaos-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  const outDir = resolve(ROOT, out);
  mkdirSync(outDir, { recursive: true });
  if (build) await buildApi();
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build the API, or drop --skip-build`);
  // What a run killed outright left behind would hold the ports and folders.
  await cleanup({ say });
  const started = Date.now();
  let stack;
  let client;
  let probe;
  let loopLag;
  try {
    stack = await startStack({ say, prefix: `${runId}/`, logFile: join(outDir, `${runId}-cluster.log`) });
    client = new ChaosClient(stack.base, stack.token, { runId });
    probe = new Probe(stack.base, stack.token);
    loopLag = new LoopLag(
      Array.from({ length: INSTANCES }, (_, i) => PORTS.metrics + i),
      () => (clusterState()?.instances ?? []).map((instance) => instance.pid),
    );
    const running = client.run(mode);
    const windows = await runFaults(mode, say, client);
    const unfinished = await finish(client, running);
    const lag = loopLag.stop();
    // What the clients saw: the uploads, and every answer, the probe's among them.
    const seen = {
      answers: [...client.answers, ...(await probe.stop())].sort((a, b) => a.at - b.at),
      done: client.done,
      failed: client.failed,
      creates: client.creates,
    };
    say('checking the database and the bucket');
    const ends = await endChecks({
      client: seen,
      windows,
      stack,
      alive,
      waitForSweep: mode.waitForSweep,
      say,
    });
    ends.checks.push({
      name: 'every upload begun finished or failed',
      passed: unfinished === 0,
      failures: unfinished
        ? [`${unfinished} uploads still under way after ${FINISH_MS / 60_000} minutes`]
        : [],
      detail: `${client.creates.length} begun`,
    });
    const failedChecks = new Set(ends.checks.filter((c) => !c.passed).map((c) => c.name));
    const faults = windows.map((w) => {
      const figures = windowFigures(w, seen);
      const rowChecks = ROW_CHECKS[w.id] ?? [];
      return {
        ...figures,
        met: figures.disallowed === 0 && !rowChecks.some((name) => failedChecks.has(name)),
      };
    });
    const result = {
      runId,
      mode: quick ? 'quick' : 'full',
      durationMs: Date.now() - started,
      grace: GRACE_SECONDS,
      passed: failedChecks.size === 0,
      uploads: {
        begun: client.creates.length,
        done: client.done.length,
        multipart: client.done.filter((u) => u.multipart).length,
        failed: client.failed.length,
      },
      answers: seen.answers.length,
      statuses: ends.statuses,
      faults,
      redis: redisLatency(windows, seen, lag),
      checks: ends.checks,
      awaitingSweep: ends.awaitingSweep,
      windows,
      settings: mode,
      exits: stack.exits,
      done: client.done,
      failed: client.failed,
      creates: client.creates,
      answerLog: seen.answers,
    };
    writeFileSync(join(outDir, `${runId}.json`), JSON.stringify(result, null, 1));
    say(`wrote ${join(outDir, `${runId}.json`)}`);
    return result;
  } finally {
    // After a failure: no new uploads, and no thread left to keep the process alive.
    client?.stop();
    loopLag?.stop();
    await probe?.stop().catch(() => undefined);
    // The instances' logs are the evidence for whatever failed; their folder goes next.
    const logs = join(ROOT, DIRS.cluster, 'logs');
    if (existsSync(logs)) cpSync(logs, join(outDir, `${runId}-logs`), { recursive: true });
    say('stopping the cluster and its services, deleting their folders');
    await cleanup({ say, prefix: stack?.prefix });
  }
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        quick: { type: 'boolean' },
        'skip-build': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`chaos: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) return console.log(USAGE);
  if (positionals[0] === 'cleanup') return cleanup({ say });
  if (positionals.length) {
    console.error(`chaos: unexpected argument "${positionals[0]}"\n${USAGE}`);
    process.exit(2);
  }
  // Ctrl-C (or the spec's SIGTERM) still stops everything the run started.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      say(`${signal}: stopping`);
      void cleanup({ say }).finally(() => process.exit(130));
    });
  }
  const result = await runChaos({ quick: values.quick, build: !values['skip-build'], out: values.out });
  console.log(markdown(result));
  if (!result.passed) {
    say(
      `failed: ${result.checks
        .filter((c) => !c.passed)
        .map((c) => c.name)
        .join('; ')}`,
    );
    process.exitCode = 1;
  }
}

if (import.meta.main) {
  main().catch((error) => {
    say(error.stack ?? error.message);
    process.exit(1);
  });
}
