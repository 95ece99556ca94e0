// The command line every local service's tool shares: `<tool> <command> [options]`, --help, and
// one-line errors with their exit codes (2 for bad usage, 1 for failures, 3 for "not running").
import { parseArgs } from 'node:util';
import { LocalServiceError } from './errors.mjs';

/**
 * Runs `commands[name](options, flags)` for the command named in `argv`. Every tool takes --dir,
 * --port, --json and --help; `options` names its other string options. `resolveOptions(flags)`
 * checks every value before anything starts.
 */
export function runCli({
  tool,
  usage,
  commands,
  options = [],
  resolveOptions,
  argv = process.argv.slice(2),
}) {
  const strings = Object.fromEntries(['dir', 'port', ...options].map((name) => [name, { type: 'string' }]));
  const main = async () => {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { ...strings, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      });
    } catch (error) {
      throw new LocalServiceError(`${error.message}; see --help`, 2);
    }
    const [command, ...extra] = parsed.positionals;
    if (parsed.values.help) return console.log(usage);
    const names = Object.keys(commands).join(', ');
    if (!command) throw new LocalServiceError(`no command given; expected one of ${names}`, 2);
    if (!Object.hasOwn(commands, command)) {
      throw new LocalServiceError(`unknown command "${command}"; expected one of ${names}`, 2);
    }
    if (extra.length) throw new LocalServiceError(`unexpected argument "${extra[0]}"; see --help`, 2);
    await commands[command](resolveOptions(parsed.values), parsed.values);
  };
  return main().catch((error) => {
    const known = error instanceof LocalServiceError;
    console.error(`${tool}: ${known ? error.message : `unexpected failure: ${error.message}`}`);
    process.exit(known ? error.exitCode : 1);
  });
}

/** Prints `NAME=value` lines, for `eval "$(npm run -s <tool> -- env)"`. */
export function printEnv(variables) {
  for (const [name, value] of Object.entries(variables)) console.log(`${name}=${value}`);
}

/**
 * start, stop, reset and status for a service that runs as one process with a pid file: what the
 * identity provider and PostgreSQL share. `address(options)` says where it answers; `answers`
 * checks that it does; `start` returns `{ alreadyRunning }`, `stop` whether one was running.
 */
export function processCommands({ tool, address, start, stop, reset, pid, answers }) {
  return {
    async start(options) {
      const { alreadyRunning } = await start(options, (step) => console.error(`${tool}: ${step}`));
      console.log(`${tool}: ${alreadyRunning ? 'already running' : 'ready'} at ${address(options)}`);
    },
    async stop(options) {
      console.log((await stop(options)) ? `${tool}: stopped` : `${tool}: nothing was running`);
    },
    async reset(options) {
      await reset(options);
      console.log(`${tool}: stopped and deleted the data in ${options.dir}`);
    },
    async status(options, flags) {
      const processId = pid(options);
      const running = Boolean(processId) && (await answers(options));
      if (flags.json) {
        console.log(JSON.stringify({ running, address: address(options), dir: options.dir, pid: processId }));
      } else {
        console.log(
          `${tool}: ${running ? `running at ${address(options)} (pid ${processId})` : 'not running'}`,
        );
      }
      if (!running) process.exitCode = 3;
    },
  };
}
