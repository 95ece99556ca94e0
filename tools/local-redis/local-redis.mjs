#!/usr/bin/env node
// A local Redis on 127.0.0.1 for development and tests: no persistence, nothing kept between
// runs. It holds the shared rate-limit counters of several API instances. Run with --help.
import { printEnv, processCommands, runCli } from '../local-service/cli.mjs';
import { livePid } from '../local-service/processes.mjs';
import { resolveOptions } from './config.mjs';
import { addressOf, clientEnv, layout, redisAnswers, resetRedis, startRedis, stopRedis } from './redis.mjs';

const USAGE = `usage: local-redis <start|stop|reset|status|env> [options]

  start    start redis-server (in memory only: nothing is saved to disk)
  stop     stop it
  reset    stop it and delete its folder
  status   report whether it answers PING (exit 3 when not)
  env      print REDIS_URL for the API

options (or LOCAL_REDIS_* variables):
  --dir DIR          data folder (default .local-redis)
  --port N           port on 127.0.0.1 (default 7520)
  --json             status as JSON`;

const COMMANDS = {
  ...processCommands({
    tool: 'local-redis',
    address: addressOf,
    start: startRedis,
    stop: stopRedis,
    reset: resetRedis,
    pid: (options) => livePid(layout(options.dir).pidFile),
    answers: redisAnswers,
  }),
  async env(options) {
    printEnv(clientEnv(options));
  },
};

runCli({ tool: 'local-redis', usage: USAGE, commands: COMMANDS, resolveOptions });
