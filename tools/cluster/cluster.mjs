#!/usr/bin/env node
// `npm run cluster`: N API instances behind nginx on one machine, as production runs them, with
// the local services and Redis; `restart`, `status` and `stop` act on the one running.
// Ctrl-C (or SIGTERM) stops what it started, and nothing else.
import { httpAnswers, sleep } from '../local-service/processes.mjs';
import { LocalServiceError } from '../local-service/errors.mjs';
import { RuntimeError, describeRuntime } from '../runtime/node-version.mjs';
import { USAGE, parseCommandLine } from './args.mjs';
import { askCluster, runningState } from './control.mjs';
import { ClusterRunner } from './runner.mjs';

const say = (message) => console.log(`dropgate: ${message}`);

/** Exit code of `status` when no cluster runs, as the local services' tools use. */
const NOT_RUNNING = 3;

async function main(argv) {
  const { command, target, json, options } = parseCommandLine(argv);
  if (command === 'help') return console.log(USAGE);
  if (command === 'start') return start(options);
  const state = runningState(options.dir);
  if (command === 'status') return status(state, json);
  if (!state)
    throw new LocalServiceError(`no cluster runs from ${options.dir}; start one with \`npm run cluster\``);
  if (command === 'restart') return askCluster(options.dir, { command: 'restart', target }, say);
  return stop(state, options.dir);
}

async function start(options) {
  say(describeRuntime());
  const runner = new ClusterRunner(options, say);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => runner.shutdown(0));
  try {
    await runner.start();
  } catch (error) {
    report(error);
    await runner.shutdown(1);
  }
}

async function status(state, json) {
  if (!state) {
    if (json) console.log(JSON.stringify({ running: false }));
    else say('no cluster running');
    process.exitCode = NOT_RUNNING;
    return;
  }
  const instances = await Promise.all(
    state.instances.map(async (instance) => ({
      ...instance,
      ready: await httpAnswers(`http://127.0.0.1:${instance.port}/api/health/ready`, { requireOk: true }),
    })),
  );
  if (json) {
    console.log(JSON.stringify({ running: true, ...state, instances }));
    return;
  }
  say(`cluster running (pid ${state.pid}): ${state.url}, nginx pid ${state.nginx.pid}`);
  for (const instance of instances) {
    const up = instance.pid
      ? `pid ${instance.pid}, ${instance.ready ? 'ready' : 'not ready'}`
      : 'not running';
    const metrics = instance.metricsPort ? `metrics ${instance.metricsPort}` : 'metrics off';
    const nginx = instance.inNginx ? 'in nginx' : 'out of nginx';
    say(`  ${instance.name}: port ${instance.port}, ${metrics}: ${up}, ${nginx}`);
  }
}

/** SIGTERM to the running cluster, which stops what it started; waits for it to be gone. */
async function stop(state, dir) {
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + (state.drainSeconds + 90) * 1000;
  while (runningState(dir)) {
    if (Date.now() > deadline)
      throw new LocalServiceError(`the cluster (pid ${state.pid}) is still stopping`);
    await sleep(200);
  }
  say('cluster stopped');
}

function report(error) {
  const known = error instanceof LocalServiceError || error instanceof RuntimeError;
  console.error(`dropgate: ${known ? error.message : error.stack}`);
}

main(process.argv.slice(2)).catch((error) => {
  report(error);
  process.exit(error instanceof LocalServiceError ? error.exitCode : 1);
});
