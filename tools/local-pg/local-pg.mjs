#!/usr/bin/env node
// A local PostgreSQL on 127.0.0.1 for development and tests. Run with --help for the commands.
import { printEnv, processCommands, runCli } from '../local-service/cli.mjs';
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
  ...processCommands({
    tool: 'local-pg',
    address: (options) => `127.0.0.1:${options.port}`,
    start: startPg,
    stop: stopPg,
    reset: resetPg,
    pid: (options) => livePid(layout(options.dir).pidFile),
    answers: async (options) => serverAnswers(options),
  }),
  async env(options) {
    printEnv(clientEnv(options));
  },
};

runCli({ tool: 'local-pg', usage: USAGE, commands: COMMANDS, resolveOptions, options: ['fsync'] });
