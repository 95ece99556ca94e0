// The command line of `npm run cluster`: which command, and every value checked before anything
// starts, each error naming the flag to fix.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalServiceError } from '../local-service/errors.mjs';
import { parsePort } from '../local-service/options.mjs';

export const DEFAULTS = Object.freeze({
  instances: 3,
  port: 3000,
  instancePort: 3101,
  metricsPort: 9101,
  drainSeconds: 5,
  dir: '.local-cluster',
});

export const USAGE = `Usage:
  npm run cluster -- [options]          build, then run N API instances behind nginx (Ctrl-C stops all)
  npm run cluster -- restart <n|all>    rolling restart of a running cluster, one instance at a time
  npm run cluster -- status [--json]    which instances are up, ready and in nginx (exit 3: none running)
  npm run cluster -- stop               stop a running cluster, as Ctrl-C in its terminal does

Options when starting:
  --instances N        API instances (default ${DEFAULTS.instances})
  --port P             nginx's public port on 127.0.0.1 (default ${DEFAULTS.port})
  --instance-port P    the first instance's port; the others follow (default ${DEFAULTS.instancePort})
  --metrics-port P|off the first instance's METRICS_PORT; the others follow (default ${DEFAULTS.metricsPort})
  --drain-seconds S    SHUTDOWN_DRAIN_SECONDS of each instance (default ${DEFAULTS.drainSeconds})
  --skip-build         run the API already built in dist/ (the web app too, if built)
Every command:
  --dir DIR            state, logs and nginx's prefix (default ${DEFAULTS.dir})
  -h, --help           this text

The local services start as for \`npm start\` (each unless its variable is set: S3_BUCKET,
DATABASE_URL, OIDC_ISSUER, CLAMD_URL), and Redis too unless REDIS_URL is set.`;

const STRINGS = ['instances', 'port', 'instance-port', 'metrics-port', 'drain-seconds', 'dir'];
const START_ONLY = [...STRINGS.filter((name) => name !== 'dir'), 'skip-build'];

/** `{ command, target, json, help, options }` from argv; bad usage throws with exit code 2. */
export function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(STRINGS.map((name) => [name, { type: 'string' }])),
        'skip-build': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw usageError(`${error.message.split('. ')[0]}; see \`npm run cluster -- --help\``);
  }
  const { values, positionals } = parsed;
  const [command = 'start', target, ...extra] = positionals;
  if (values.help) return { command: 'help' };
  if (!['start', 'restart', 'status', 'stop'].includes(command)) {
    throw usageError(`unknown command "${command}"; expected restart, status or stop (or none, to start)`);
  }
  if (extra.length || (target !== undefined && command !== 'restart')) {
    throw usageError(`unexpected argument "${extra[0] ?? target}"; see --help`);
  }
  if (command === 'restart' && target === undefined) {
    throw usageError('restart needs an instance: `restart 2`, or `restart all`');
  }
  if (command === 'restart' && target !== 'all' && !/^[1-9]\d*$/.test(target)) {
    throw usageError(`restart takes an instance number from 1, or "all" (got "${target}")`);
  }
  if (command !== 'start') {
    const misplaced = START_ONLY.find((name) => values[name] !== undefined);
    if (misplaced) throw usageError(`--${misplaced} applies only when starting a cluster`);
  }
  if (values.json && command !== 'status') throw usageError('--json applies only to status');
  return {
    command,
    target,
    json: Boolean(values.json),
    options: command === 'start' ? startOptions(values) : { dir: resolve(values.dir ?? DEFAULTS.dir) },
  };
}

function startOptions(values) {
  const instances = wholeNumber(values.instances ?? DEFAULTS.instances, '--instances', 1, 32);
  const port = parsePort(values.port ?? DEFAULTS.port, '--port');
  const instancePort = parsePort(values['instance-port'] ?? DEFAULTS.instancePort, '--instance-port');
  const metrics = values['metrics-port'] ?? DEFAULTS.metricsPort;
  const metricsPort = metrics === 'off' ? undefined : parsePort(metrics, '--metrics-port');
  const ranges = [
    { flag: '--port', first: port, count: 1 },
    { flag: '--instance-port', first: instancePort, count: instances },
    ...(metricsPort ? [{ flag: '--metrics-port', first: metricsPort, count: instances }] : []),
  ];
  for (const range of ranges) {
    if (range.first + range.count - 1 > 65535) {
      throw usageError(`${range.flag} ${range.first} leaves no room for ${range.count} ports`);
    }
    for (const other of ranges) {
      if (other === range || other.first < range.first) continue;
      if (other.first < range.first + range.count) {
        throw usageError(`${other.flag} ${other.first} overlaps the ports of ${range.flag}; choose another`);
      }
    }
  }
  return {
    dir: resolve(values.dir ?? DEFAULTS.dir),
    instances,
    port,
    instancePort,
    metricsPort,
    drainSeconds: wholeNumber(values['drain-seconds'] ?? DEFAULTS.drainSeconds, '--drain-seconds', 0, 300),
    build: !values['skip-build'],
  };
}

function wholeNumber(value, flag, min, max) {
  const number = Number(value);
  if (!/^\d+$/.test(String(value)) || number < min || number > max) {
    throw usageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return number;
}

const usageError = (message) => new LocalServiceError(message, 2);
