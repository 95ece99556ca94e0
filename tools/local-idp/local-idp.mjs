#!/usr/bin/env node
// A local OpenID provider on 127.0.0.1 for development and tests: never part of the API, never
// for production. Run with --help for the commands.
import { printEnv, processCommands, runCli } from '../local-service/cli.mjs';
import { livePid } from '../local-service/processes.mjs';
import { resolveOptions } from './config.mjs';
import {
  clientEnv,
  issuerOf,
  layout,
  providerAnswers,
  resetIdp,
  rotateKeys,
  startIdp,
  stopIdp,
} from './idp.mjs';

const USAGE = `usage: local-idp <start|stop|reset|status|env|rotate-keys> [options]

  start        start the provider; keys and the service client's secret are made on first start
  stop         stop it; keys and secret are kept
  reset        stop it and delete its data (new keys and secret on the next start)
  status       report whether it runs (exit 3 when not)
  env          print OIDC_* variables for the API and the service client's credentials
  rotate-keys  add a new signing key (the previous one stays published) and restart if running

Users (no passwords; pick one on the sign-in form): alice and bob (uploads:write uploads:read),
admin (uploads:admin too). Clients: dropgate-web (public, PKCE), dropgate-service (client
credentials: uploads:write uploads:admin).

options (or LOCAL_IDP_* variables):
  --dir DIR              data folder (default .local-idp)
  --port N               port on 127.0.0.1 (default 7490)
  --redirect-uris LIST   comma-separated redirect URIs of dropgate-web (default :3000 and :4200)
  --token-seconds N      access token lifetime (default 300)
  --json                 status as JSON`;

const COMMANDS = {
  ...processCommands({
    tool: 'local-idp',
    address: issuerOf,
    start: startIdp,
    stop: stopIdp,
    reset: resetIdp,
    pid: (options) => livePid(layout(options.dir).pidFile),
    answers: providerAnswers,
  }),
  async env(options) {
    printEnv(clientEnv(options));
  },
  async 'rotate-keys'(options) {
    const { kid, restarted } = await rotateKeys(options);
    console.log(`local-idp: new signing key ${kid}${restarted ? '; restarted' : ''}`);
  },
};

runCli({
  tool: 'local-idp',
  usage: USAGE,
  commands: COMMANDS,
  resolveOptions,
  options: ['redirect-uris', 'token-seconds'],
});
