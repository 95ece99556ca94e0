#!/usr/bin/env node
// `npm run bench`: create throughput of the full API (token, record, policy) against its floors (alternating rounds, and
// a 256-connection run), uploads through the API against direct POSTs, a large file in parts through
// the API against one direct POST and direct parts, the scan worker against clamd direct, complete →
// available, a large file in parts end to end, shutdown under a reconcile backlog, the web app's
// initial JavaScript, MD5 throughput in Chromium, and webhooks (complete → delivery at 100 uploads/s,
// deliveries/s from a backlog, the outbox's cost on complete), and the proxy's cost (one instance behind
// nginx against the same instance alone). Prints markdown tables and writes JSON to
// bench-results/. `--quick` shortens every run (a smoke check only); `--rounds N` sets the number of
// alternating rounds (default 3); `--profile` also profiles the API's creates (`--cpu-prof`) and
// prints where their time goes.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeRuntime } from '../runtime/node-version.mjs';
import { ensurePackages } from '../system-packages.mjs';
import { canPin } from './cores.mjs';
import { alternatingRounds, highConcurrency } from './presign.mjs';
import { uploadRows } from './uploads.mjs';
import { multipartRow } from './multipart.mjs';
import { md5Throughput } from './md5-browser.mjs';
import { webSizes, wireBytes } from './web.mjs';
import { scanningRows } from './scanning.mjs';
import { shutdownRow } from './shutdown.mjs';
import { webhookRows } from './webhooks.mjs';
import { proxyRows } from './proxy.mjs';
import { profileCreates } from './profile.mjs';
import { API_MAIN } from '../run/api-runtime.mjs';
import { startApi, stopServer } from './servers.mjs';
import {
  dropDatabase,
  freshDatabase,
  startDatabase,
  startIdentity,
  startScanner,
  stopServices,
} from './services.mjs';
import { report } from './report.mjs';

const root = join(import.meta.dirname, '../..');
/** The sections, in the order they run; `--only` picks some. */
const SECTIONS = ['presign', 'uploads', 'multipart', 'scanning', 'shutdown', 'web', 'webhooks', 'proxy'];
const USAGE = `usage: npm run bench [-- --quick] [--rounds N] [--profile] [--only ${SECTIONS.join(',')}]`;
const flags = (() => {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean' },
        rounds: { type: 'string', default: '3' },
        only: { type: 'string' },
        profile: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    console.error(`bench: ${error.message}; ${USAGE}`);
    process.exit(2);
  }
})();
const quick = !!flags.quick;
const only = flags.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !SECTIONS.includes(name)) ?? [];
if (unknown.length) {
  console.error(`bench: no section ${unknown.join(', ')}; ${USAGE}`);
  process.exit(2);
}
const settings = {
  quick,
  only,
  pinned: canPin,
  rounds: quick ? 1 : Number(flags.rounds),
  seconds: quick ? 2 : 6,
  warmup: quick ? 1 : 2,
  connections: 256,
  highSeconds: quick ? 3 : 12,
};
const BIG = quick ? 32 * 1024 ** 2 : 256 * 1024 ** 2;
const MULTIPART = quick ? 128 * 1024 ** 2 : 1024 ** 3;
const SMALL_COUNT = quick ? 40 : 200;

const say = (message) => console.error(`bench: ${message}`);

function buildIfMissing() {
  const built = [API_MAIN, join(root, 'dist/apps/web/browser/index.html')];
  if (built.every((file) => existsSync(file))) return;
  say('building the API and the web app');
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'web', '--output-style=static'], {
    cwd: root,
    stdio: 'inherit',
  });
}

/** The web app's size, and the MD5 worker's throughput in Chromium, from the API that serves it. */
async function webRow(env) {
  const server = await startApi(env, 3215);
  try {
    const md5 = await md5Throughput('http://127.0.0.1:3215', {
      parts: quick ? 8 : 32,
      rounds: settings.rounds,
    });
    return { ...webSizes(), wire: await wireBytes('http://127.0.0.1:3215'), md5 };
  } finally {
    await stopServer(server);
  }
}

async function main() {
  say(describeRuntime());
  if (!Number.isInteger(settings.rounds) || settings.rounds < 1)
    throw new Error(`--rounds takes a whole number of 1 or more, not "${flags.rounds}"`);
  // Other work on the machine slows every figure; the load averages say how much there was.
  const loadAtStart = loadavg()[0];
  ensurePackages([{ bin: 'wrk', pkg: 'wrk' }], say);
  buildIfMissing();
  say('starting the throwaway gateway, identity provider, database and clamd');
  const { env: gatewayEnv, startedNow } = JSON.parse(
    execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', 'start'], {
      cwd: root,
      encoding: 'utf8',
    }),
  );
  // Every server gets the same bearer token; the API and the record floor read it.
  let env = { ...gatewayEnv };
  try {
    // A throwaway key for the webhook secrets, which the API needs to start.
    const webhooks = { WEBHOOK_SECRETS_KEY: randomBytes(32).toString('hex') };
    env = { ...env, ...startIdentity(), ...startDatabase(), ...startScanner(), ...webhooks };
    const runs = (name) => !only || only.includes(name);
    const result = {};
    if (runs('presign')) {
      result.rounds = await alternatingRounds(env, { ...settings, say });
      result.high = await highConcurrency(env, {
        ...settings,
        warmup: settings.seconds,
        seconds: settings.highSeconds,
        ids: ['api', 'signing'],
        say,
      });
    }
    if (flags.profile) {
      const dir = join(root, 'bench-results', `profile-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      mkdirSync(dir, { recursive: true });
      result.profile = await profileCreates(env, {
        dir,
        seconds: settings.seconds * 2,
        warmup: settings.seconds,
        say,
      });
    }
    if (runs('uploads'))
      result.uploads = await uploadRows(
        await freshDatabase(env, 'bench_uploads'),
        [
          [`1 × ${BIG / 1024 ** 2} MiB`, 1, BIG, 'application/zip', 'zip'],
          [`${SMALL_COUNT} × 64 KiB`, SMALL_COUNT, 64 * 1024, 'application/pdf', 'pdf'],
        ],
        { rounds: settings.rounds, say },
      );
    if (runs('multipart'))
      result.multipart = await multipartRow(await freshDatabase(env, 'bench_multipart'), {
        size: MULTIPART,
        rounds: settings.rounds,
        say,
      });
    if (runs('scanning'))
      result.scanning = await scanningRows(await freshDatabase(env, 'bench_scanning'), { ...settings, say });
    if (runs('shutdown')) {
      result.shutdown = await shutdownRow(await freshDatabase(env, 'bench_shutdown'), { say });
      await dropDatabase(env, 'bench_shutdown');
    }
    if (runs('web')) result.web = await webRow(await freshDatabase(env, 'bench_web'));
    // Each of its parts makes a database of its own.
    if (runs('webhooks')) result.webhooks = await webhookRows(env, { ...settings, say });
    if (runs('proxy')) {
      result.proxy = await proxyRows(await freshDatabase(env, 'bench_proxy'), { ...settings, say });
      await dropDatabase(env, 'bench_proxy');
    }
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      load: { start: loadAtStart, end: loadavg()[0] },
    };
    Object.assign(result, { machine, settings });
    const { table, headroom } = report(result);
    console.log(table);
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    const file = join(root, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    say(`wrote ${file}`);
    if (headroom && headroom.median < 2) {
      throw new Error(
        `the load generator reached only ${headroom.median.toFixed(2)}× the signing floor on a fixed body (needs 2×): ` +
          'it, not the servers, may be the limit, so these figures are not comparable',
      );
    }
  } finally {
    stopServices();
    if (startedNow)
      execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', 'stop'], {
        cwd: root,
        stdio: 'inherit',
      });
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
