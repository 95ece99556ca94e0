#!/usr/bin/env node
// `npm start`: the local services (the S3 gateway unless S3_BUCKET is set, PostgreSQL unless
// DATABASE_URL is set, the identity provider unless OIDC_ISSUER is set, clamd unless CLAMD_URL is
// set), a production build, and the API serving the web app.
// `npm run dev` (--watch): the same services, with `nx serve` for both apps.
// Ctrl-C stops what this started, and nothing else.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { LocalServiceError } from '../local-service/errors.mjs';
import { resolveOptions } from '../local-s3/config.mjs';
import { startCluster, stopCluster } from '../local-s3/cluster.mjs';
import { bootstrap, clientEnv } from '../local-s3/bootstrap.mjs';
import { resolveOptions as resolveIdpOptions } from '../local-idp/config.mjs';
import { clientEnv as idpEnv, issuerOf, startIdp, stopIdp } from '../local-idp/idp.mjs';
import { resolveOptions as resolvePgOptions } from '../local-pg/config.mjs';
import { clientEnv as pgEnv, startPg, stopPg } from '../local-pg/postgres.mjs';
import { resolveOptions as resolveClamavOptions } from '../local-clamav/config.mjs';
import {
  addressOf as clamdAddress,
  clientEnv as clamdEnv,
  startClamd,
  stopClamd,
} from '../local-clamav/clamd.mjs';
import { RuntimeError, describeRuntime } from '../runtime/node-version.mjs';
import { API_MAIN, API_NODE_FLAGS } from './api-runtime.mjs';
import { webhooksEnvironment } from './webhooks-env.mjs';

const { values: flags } = parseArgs({ options: { watch: { type: 'boolean' } } });
const port = process.env.PORT || '3000';
/** How to stop each local service this process started, in start order. */
const started = [];
let child;
let stopping = false;

async function main() {
  say(describeRuntime());
  const env = {
    ...process.env,
    ...(await s3Environment()),
    ...(await databaseEnvironment()),
    ...(await identityEnvironment()),
    ...(await scannerEnvironment()),
    ...webhooksEnvironment(process.cwd(), say),
  };
  if (flags.watch) {
    child = run('npx', ['nx', 'run', 'web:serve', '--configuration=development'], env);
    say('watch mode: the web app will be at http://localhost:4200 (API on :3000), once both have built');
  } else {
    say('building the web app and the API');
    await exec('npx', ['nx', 'run-many', '-t', 'build', '-p', 'web', 'api', '--output-style=static'], env);
    child = run(process.execPath, [...API_NODE_FLAGS, API_MAIN], env);
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);
    say(`ready: http://localhost:${port}  (Ctrl-C to stop)`);
  }
  child.on('exit', (code, signal) => shutdown(code ?? (signal ? 1 : 0)));
}

async function s3Environment() {
  if (process.env.S3_BUCKET) {
    say(
      `using bucket ${process.env.S3_BUCKET}${process.env.S3_ENDPOINT ? ` at ${process.env.S3_ENDPOINT}` : ''}; no local gateway`,
    );
    return {};
  }
  const options = resolveOptions({});
  const result = await startCluster(options, (step) => say(`local S3: ${step}`));
  if (result.started.length) {
    started.push(async () => {
      const stopped = await stopCluster(options, result.started);
      say(`stopped local S3 (${stopped.join(', ')}); data kept in ${options.dir}`);
    });
  }
  await bootstrap(options);
  say(
    `local S3 ${result.alreadyRunning ? 'already running' : 'ready'} at http://127.0.0.1:${options.port}, bucket ${options.bucket}`,
  );
  return { ...clientEnv(options), CORS_ORIGINS: process.env.CORS_ORIGINS ?? 'http://localhost:4200' };
}

/**
 * A local single-process service, unless the variable `own` names the user's own one: started
 * (and stopped at the end when this process started it), and the variables the API needs.
 */
async function localService({ own, ownMessage, name, options, start, stop, address, env, note = '' }) {
  if (process.env[own]) {
    say(ownMessage);
    return {};
  }
  const result = await start(options, (step) => say(`${name}: ${step}`));
  if (result.started) {
    started.push(async () => {
      await stop(options);
      say(`stopped the ${name}; data kept in ${options.dir}`);
    });
  }
  say(`${name} ${result.alreadyRunning ? 'already running' : 'ready'} at ${address(options)}${note}`);
  return env(options);
}

/** The local PostgreSQL, unless DATABASE_URL names another. */
const databaseEnvironment = () =>
  localService({
    own: 'DATABASE_URL',
    ownMessage: 'using the database in DATABASE_URL; no local PostgreSQL',
    name: 'local PostgreSQL',
    options: resolvePgOptions({}),
    start: startPg,
    stop: stopPg,
    address: (options) => `127.0.0.1:${options.port}`,
    env: pgEnv,
  });

/** The development identity provider, unless OIDC_ISSUER names the company's own. */
const identityEnvironment = () =>
  localService({
    own: 'OIDC_ISSUER',
    ownMessage: `signing in with ${process.env.OIDC_ISSUER}; no local identity provider`,
    name: 'local identity provider',
    options: resolveIdpOptions({}),
    start: startIdp,
    stop: stopIdp,
    address: issuerOf,
    note: ' (development only: sign in as alice, bob or admin)',
    env: (options) => {
      const { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID } = idpEnv(options);
      return { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID };
    },
  });

/** clamd's limits follow the API's UPLOAD_SCAN_MAX_BYTES, so that what the API sends is scanned. */
function clamavOptions() {
  const maxBytes = process.env.UPLOAD_SCAN_MAX_BYTES;
  try {
    return resolveClamavOptions(maxBytes ? { 'max-bytes': maxBytes } : {});
  } catch (error) {
    if (!maxBytes || !(error instanceof LocalServiceError)) throw error;
    throw new LocalServiceError(error.message.replace('--max-bytes', 'UPLOAD_SCAN_MAX_BYTES'));
  }
}

/**
 * The local clamd with test signatures only, unless CLAMD_URL names a real one or the deployment
 * does not scan (UPLOAD_SCAN=off).
 */
const scannerEnvironment = () =>
  process.env.UPLOAD_SCAN === 'off'
    ? (say('UPLOAD_SCAN=off: uploads are not scanned; no local clamd'), {})
    : localService({
        own: 'CLAMD_URL',
        ownMessage: `scanning with the clamd at ${process.env.CLAMD_URL}; no local clamd`,
        name: 'local clamd',
        options: clamavOptions(),
        start: startClamd,
        stop: stopClamd,
        address: clamdAddress,
        note: ' (development only: it knows the EICAR test file and nothing else)',
        env: clamdEnv,
      });

/** Each child leads its own process group, so that stopping it stops what it started (nx's servers). */
function run(command, args, env) {
  return spawn(command, args, { env, stdio: 'inherit', detached: true });
}

function exec(command, args, env) {
  return new Promise((resolvePromise, reject) => {
    child = run(command, args, env);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new LocalServiceError(`${command} ${args.join(' ')} failed (exit ${code})`)),
    );
  });
}

async function waitForHealth(url) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new LocalServiceError('the API stopped before it was ready; see the lines above');
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new LocalServiceError(`the API did not answer on ${url} within 60 s`);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  for (const stop of started.reverse())
    await stop().catch((error) => say(`could not stop: ${error.message}`));
  process.exit(code);
}

function say(message) {
  console.log(`dropgate: ${message}`);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutdown(0));

main().catch(async (error) => {
  console.error(
    `dropgate: ${error instanceof LocalServiceError || error instanceof RuntimeError ? error.message : error.stack}`,
  );
  await shutdown(1);
});
