#!/usr/bin/env node
// A local PostgreSQL on 127.0.0.1 for development and tests. Run with --help for the commands.
import { printEnv, runCli } from '../local-service/cli.mjs';
import { livePid } from '../local-service/processes.mjs';
import { resolveOptions } from './config.mjs';
import { clientEnv, layout, resetPg, serverAnswers, startPg, stopPg } from './postgres.mjs';

const USAGE = `usage: local-pg <start|stop|reset|status|env> [options]

  start    start PostgreSQL; the cluster and its password are made on first start
  stop     stop it (a fast shutdown); the data is kept
  reset    stop it and delete its data (a new password on the next start)
  status   report whether it runs (exit 3 when not)
  env      print DATABASE_URL for the API

options (or LOCAL_PG_* variables):
  --dir DIR      data folder (default .local-pg)
  --port N       port on 127.0.0.1 (default 7432)
  --fsync on|off off for throwaway test clusters (default on)
  --json         status as JSON`;

const COMMANDS = {
  async start(options) {
    const { alreadyRunning } = await startPg(options, (step) => console.error(`local-pg: ${step}`));
    console.log(`local-pg: ${alreadyRunning ? 'already running' : 'ready'} at 127.0.0.1:${options.port}`);
  },
  async stop(options) {
    console.log((await stopPg(options)) ? 'local-pg: stopped' : 'local-pg: nothing was running');
  },
  async reset(options) {
    await resetPg(options);
    console.log(`local-pg: stopped and deleted the data in ${options.dir}`);
  },
  async status(options, flags) {
    const pid = livePid(layout(options.dir).pidFile);
    const running = Boolean(pid) && serverAnswers(options);
    if (flags.json) console.log(JSON.stringify({ running, port: options.port, dir: options.dir, pid }));
    else
      console.log(
        `local-pg: ${running ? `running on 127.0.0.1:${options.port} (pid ${pid})` : 'not running'}`,
      );
    if (!running) process.exitCode = 3;
  },
  async env(options) {
    printEnv(clientEnv(options));
  },
};

runCli({ tool: 'local-pg', usage: USAGE, commands: COMMANDS, resolveOptions, options: ['fsync'] });
