#!/usr/bin/env node
// A local ClamAV daemon (clamd) on 127.0.0.1 for development and tests, with the project's own
// test signatures only: it detects the EICAR test file and nothing else. Run with --help.
import { printEnv, processCommands, runCli } from '../local-service/cli.mjs';
import { livePid } from '../local-service/processes.mjs';
import { addressOf, clamdAnswers, clientEnv, layout, resetClamd, startClamd, stopClamd } from './clamd.mjs';
import { resolveOptions } from './config.mjs';

const USAGE = `usage: local-clamav <start|stop|reset|status|env> [options]

  start    start clamd with the project's test signatures (EICAR only; nothing is downloaded)
  stop     stop it
  reset    stop it and delete its folder
  status   report whether it answers PING (exit 3 when not)
  env      print CLAMD_URL for the API

options (or LOCAL_CLAMAV_* variables):
  --dir DIR          data folder (default .local-clamav)
  --port N           port on 127.0.0.1 (default 7510)
  --max-bytes N      the largest stream clamd scans, as UPLOAD_SCAN_MAX_BYTES (default 1073741824,
                     at most 2147483647)
  --json             status as JSON`;

const COMMANDS = {
  ...processCommands({
    tool: 'local-clamav',
    address: addressOf,
    start: startClamd,
    stop: stopClamd,
    reset: resetClamd,
    pid: (options) => livePid(layout(options.dir).pidFile),
    answers: clamdAnswers,
  }),
  async env(options) {
    printEnv(clientEnv(options));
  },
};

runCli({ tool: 'local-clamav', usage: USAGE, commands: COMMANDS, resolveOptions, options: ['max-bytes'] });
