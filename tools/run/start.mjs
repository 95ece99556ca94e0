#!/usr/bin/env node
// `npm start`: the local services (the S3 gateway unless S3_BUCKET is set, PostgreSQL unless
// DATABASE_URL is set, the identity provider unless OIDC_ISSUER is set, clamd unless CLAMD_URL is
// set; all in services.mjs, shared with `npm run cluster`), a production build, and the API
// serving the web app.
// `npm run dev` (--watch): the same services, with `nx serve` for both apps.
// Ctrl-C stops what this started, and nothing else.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { LocalServiceError } from '../local-service/errors.mjs';
import { RuntimeError, describeRuntime } from '../runtime/node-version.mjs';
import { API_MAIN, API_NODE_FLAGS } from './api-runtime.mjs';
import { localServices } from './services.mjs';

const { values: flags } = parseArgs({ options: { watch: { type: 'boolean' } } });
const port = process.env.PORT || '3000';
const services = localServices({ say });
let child;
let stopping = false;

async function main() {
  say(describeRuntime());
  const env = { ...process.env, ...(await services.start()) };
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
  await services.stop();
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
