// The system under test: the test gateway (S3), and `npm run cluster` as a child process with
// every local service it starts pointed at the fault test's own folders and ports. Also the one
// clean-up that every ending takes (success, failure, Ctrl-C, or the integration spec's
// afterAll): it stops whatever of the test still runs, and deletes its folders.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import {
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { gatewayClient } from '../bench/uploads.mjs';
import {
  DIRS,
  INSTANCES,
  OWN_SERVICE_VARIABLES,
  PORTS,
  apiSettings,
  flagsOf,
  localServiceEnv,
} from './settings.mjs';

export const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs one of the project's Node tools; resolves to its standard output. */
export async function tool(script, ...args) {
  const { stdout } = await run(process.execPath, [script, ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
  return stdout.trim();
}

/** `KEY=value` lines, as the local-* tools print them, as an object. */
const parseEnv = (text) => Object.fromEntries(text.split('\n').map((line) => line.split(/=(.*)/s, 2)));

/** The cluster's state.json (pids and ports), as `npm run cluster -- status` reads it. */
export function clusterState() {
  const file = join(ROOT, DIRS.cluster, 'state.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/**
 * Starts everything; `say` reports progress. Returns what the client, the faults and the checks
 * need. `stack.exits` lists the instance exits the cluster reported, for the crash check.
 */
export async function startStack({ say, prefix, logFile }) {
  const gateway = JSON.parse(
    execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', 'start'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const stack = { exits: [], prefix };
  // Recorded before anything else can fail, so that the clean-up knows to stop the gateway.
  cleanupState.gatewayStartedNow = gateway.startedNow;
  cleanupState.gateway = gateway.env;
  const env = { ...process.env, ...gateway.env, ...localServiceEnv(), ...apiSettings(prefix) };
  for (const name of OWN_SERVICE_VARIABLES) delete env[name];
  say('starting the cluster: PostgreSQL, the identity provider, clamd, Redis, 3 instances, nginx');
  const args = [
    'tools/cluster/cluster.mjs',
    ...['--instances', String(INSTANCES), '--port', String(PORTS.public)],
    ...['--instance-port', String(PORTS.instances), '--metrics-port', String(PORTS.metrics)],
    ...['--drain-seconds', '2', '--dir', DIRS.cluster, '--skip-build'],
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanupState.cluster = child;
  const log = createWriteStream(logFile);
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const onLine = (line) => {
      log.write(`${line}\n`);
      output = `${output}${line}\n`.slice(-20_000);
      const exit = /dropgate: (api-\d+) exited \(([^)]+)\)/.exec(line);
      if (exit) stack.exits.push({ at: Date.now(), instance: exit[1], how: exit[2] });
      if (line.includes(`cluster ready: http://localhost:${PORTS.public}`)) resolve();
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code, signal) => {
      log.end();
      reject(new Error(`the cluster exited (${code ?? signal}); its output:\n${output.slice(-3000)}`));
    });
  });
  await ready;
  stack.cluster = child;
  stack.base = `http://127.0.0.1:${PORTS.public}`;
  stack.databaseUrl = parseEnv(
    await tool('tools/local-pg/local-pg.mjs', 'env', ...flagsOf('pg')),
  ).DATABASE_URL;
  // A development user: the client needs uploads:read and uploads:write, as a person has.
  stack.token = await tool('tools/local-idp/token.mjs', '--user', 'alice', ...flagsOf('idp'));
  stack.s3 = gatewayClient(gateway.env);
  stack.bucket = gateway.env.S3_BUCKET;
  say(`cluster ready at ${stack.base}; results will name objects under ${prefix}`);
  return stack;
}

/** What the clean-up must know even when the start failed half-way. */
const cleanupState = { cluster: undefined, gatewayStartedNow: false, gateway: undefined };

const alive = (pid) => Boolean(pid) && existsSync(`/proc/${pid}`);
const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Stops whatever of the fault test still runs and deletes its folders; safe to call at any time,
 * more than once, and from another process (`chaos.mjs cleanup`). It never stops a process it
 * cannot tie to the test's own folders.
 */
export async function cleanup({ say = () => undefined, prefix = 'chaos-' } = {}) {
  // A Redis left frozen (a failure during SIGSTOP) would not hear SIGTERM.
  const redisPid = readPid(join(DIRS.redis, 'run', 'redis.pid'));
  if (alive(redisPid) && cmdline(redisPid).includes('redis')) process.kill(redisPid, 'SIGCONT');
  const child = cleanupState.cluster;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await stopOrphans(say);
  for (const [script, command, service] of [
    ['tools/local-pg/local-pg.mjs', 'reset', 'pg'],
    ['tools/local-redis/local-redis.mjs', 'reset', 'redis'],
    ['tools/local-clamav/local-clamav.mjs', 'reset', 'clamd'],
    ['tools/local-idp/local-idp.mjs', 'stop', 'idp'],
  ]) {
    await tool(script, command, ...flagsOf(service)).catch((error) =>
      say(`${script} ${command}: ${error.message}`),
    );
  }
  for (const dir of Object.values(DIRS)) rmSync(join(ROOT, dir), { recursive: true, force: true });
  // A shared gateway (the integration tests') keeps its objects: delete the run's own.
  if (cleanupState.gateway && !cleanupState.gatewayStartedNow) {
    const s3 = gatewayClient(cleanupState.gateway);
    await emptyPrefix(s3, cleanupState.gateway.S3_BUCKET, prefix).catch((error) =>
      say(`bucket: ${error.message}`),
    );
    s3.destroy();
  }
  if (cleanupState.gatewayStartedNow) {
    execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', 'stop'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    cleanupState.gatewayStartedNow = false;
  }
}

function readPid(file) {
  const path = join(ROOT, file);
  return existsSync(path) ? Number(readFileSync(path, 'utf8').trim().split('\n')[0]) : undefined;
}

/**
 * Instances and nginx left by a cluster process that was killed outright (it stops them itself
 * on SIGTERM): found in its state.json, and stopped only if they are still the same programs.
 */
async function stopOrphans(say) {
  const state = clusterState();
  if (!state) return;
  if (alive(state.pid) && cmdline(state.pid).includes('tools/cluster/cluster.mjs')) {
    // A cluster whose chaos process was killed outright: it stops its own processes.
    await tool('tools/cluster/cluster.mjs', 'stop', '--dir', DIRS.cluster).catch((error) =>
      say(error.message),
    );
    return;
  }
  const api = state.instances
    .map((instance) => instance.pid)
    .filter((pid) => alive(pid) && cmdline(pid).includes('dist/apps/api/main.js'));
  const nginx =
    alive(state.nginx.pid) && cmdline(state.nginx.pid).includes(state.nginx.prefix) ? [state.nginx.pid] : [];
  for (const pid of [...api, ...nginx]) {
    say(`stopping pid ${pid}, left by a cluster that did not stop`);
    process.kill(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 40_000;
  while ([...api, ...nginx].some(alive) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  for (const pid of [...api, ...nginx]) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** Deletes the run's objects and aborts its multipart uploads: the gateway may be shared. */
export async function emptyPrefix(s3, bucket, prefix) {
  // Listed again from the start after each delete, as deleting moves what a continuation means.
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (page.Contents ?? []).map(({ Key }) => ({ Key }));
    if (!keys.length) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  for (const { Key, UploadId } of Uploads) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
  }
}
