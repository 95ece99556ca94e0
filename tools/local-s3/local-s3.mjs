#!/usr/bin/env node
// A single-node Ceph cluster (one monitor, one OSD, one RADOS Gateway) on 127.0.0.1, for running
// and testing Dropgate against a real S3 API. Run with --help for the commands.
import { printEnv, runCli } from '../local-service/cli.mjs';
import { endpointOf, resolveOptions } from './config.mjs';
import { daemonStatus, gatewayAnswers, resetCluster, startCluster, stopCluster } from './cluster.mjs';
import { bootstrap, clientEnv } from './bootstrap.mjs';

const USAGE = `usage: local-s3 <start|stop|reset|status|env> [options]

  start    start the cluster and create the user, bucket and CORS rules (a no-op when running)
  stop     stop the daemons; data is kept (bluestore)
  reset    stop and delete all data; the local credentials are kept
  status   report what is running (exit 3 when not running)
  env      print S3_* and AWS_* variables for this gateway, as shell assignments

options (or LOCAL_S3_* variables):
  --dir DIR            data folder (default .local-s3)
  --port N             gateway port (default 7480)
  --mon-port N         monitor port (default 3300)
  --store KIND         bluestore (persistent, default) or memstore (throwaway)
  --bucket NAME        bucket to create (default dropgate-local)
  --cors-origins LIST  comma-separated origins allowed to POST (default localhost:3000 and :4200)
  --json               status as JSON`;

const COMMANDS = { start, stop, reset, status, env };

async function start(options) {
  const t0 = Date.now();
  const result = await startCluster(options, (step) => console.log(`local-s3: ${step}`));
  if (result.alreadyRunning) {
    console.log(`local-s3: already running at ${endpointOf(options)} (${describe(options)}); nothing to do`);
    return;
  }
  await bootstrap(options);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`local-s3: ready at ${endpointOf(options)}, bucket ${options.bucket} (${seconds} s)`);
}

async function stop(options) {
  const stopped = await stopCluster(options);
  console.log(stopped.length ? `local-s3: stopped ${stopped.join(', ')}` : 'local-s3: nothing was running');
}

async function reset(options) {
  await resetCluster(options);
  console.log(`local-s3: stopped and deleted the data in ${options.dir}`);
}

async function status(options, flags) {
  const daemons = daemonStatus(options);
  const answering = await gatewayAnswers(options);
  const running = answering && daemons.every((d) => d.pid);
  if (flags.json) {
    console.log(
      JSON.stringify({
        running,
        endpoint: endpointOf(options),
        bucket: options.bucket,
        dir: options.dir,
        daemons,
      }),
    );
  } else if (running) {
    console.log(`local-s3: running at ${endpointOf(options)} (${describe(options)})`);
  } else {
    const up = daemons.filter((d) => d.pid).map((d) => d.name);
    console.log(`local-s3: not running${up.length ? ` (still up: ${up.join(', ')}; run stop)` : ''}`);
  }
  if (!running) process.exitCode = 3;
}

async function env(options) {
  printEnv(clientEnv(options));
}

function describe(options) {
  const pids = daemonStatus(options).map((d) => `${d.name} pid ${d.pid}`);
  return `${options.store}, bucket ${options.bucket}, data ${options.dir}; ${pids.join(', ')}`;
}

runCli({
  tool: 'local-s3',
  usage: USAGE,
  commands: COMMANDS,
  resolveOptions,
  options: ['mon-port', 'store', 'bucket', 'cors-origins'],
});
