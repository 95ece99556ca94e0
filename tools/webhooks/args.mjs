// The command line of `npm run webhooks`: every value is checked before anything starts, so that a
// typo costs one line and exit code 2, not a half-registered endpoint.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalServiceError } from '../local-service/errors.mjs';

/**
 * A copy of WEBHOOK_EVENT_TYPES (libs/shared/api-contract/src/lib/webhooks.ts): plain .mjs cannot
 * import TypeScript. apps/api-e2e/src/webhooks-tool.e2e-spec.ts fails when the two differ.
 */
export const EVENT_TYPES = Object.freeze([
  'upload.available',
  'upload.held',
  'upload.infected',
  'upload.rejected',
  'upload.expired',
  'upload.canceled',
  'upload.deleted',
  'webhook.test',
]);

export const DEFAULT_PORT = 7590;

export const USAGE = `usage: npm run webhooks -- <command> [options]
  listen   receive this API's webhooks on 127.0.0.1, verify each and print one line per event
  forget   delete the endpoint a listener registered, and its saved secret
options:
  --port N        receiver port (default ${DEFAULT_PORT}; listen --port 0 picks a free one)
  --api URL       the API (default $DROPGATE_URL, else http://localhost:3000)
  --events a,b    listen: the event types to receive (default: all)
  --forget        listen: delete the endpoint on exit instead of keeping it
  --dir DIR       where secrets are saved (default .local-webhooks)
the token is $DROPGATE_TOKEN, else the local provider's (npm run token); it needs webhooks:admin`;

const COMMANDS = ['listen', 'forget'];

/** The one line a mistyped command gets: what was wrong, then how it is used. */
const SYNOPSIS =
  'usage: npm run webhooks -- listen [--port N] [--api URL] [--events a,b] [--forget] | forget [--port N] [--api URL]';
const usageError = (message) => new LocalServiceError(`${message}; ${SYNOPSIS}`, 2);

/** `{ command, port, api, events, forget, dir }`, or `{ help: true }`; throws exit code 2. */
export function parseCommandLine(argv, env = process.env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        api: { type: 'string' },
        events: { type: 'string' },
        dir: { type: 'string' },
        forget: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs adds advice about '--' that does not apply to a mistyped option.
    throw usageError(error.message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...extra] = positionals;
  if (!command) throw usageError(`no command given; expected one of ${COMMANDS.join(', ')}`);
  if (!COMMANDS.includes(command)) {
    throw usageError(`unknown command "${command}"; expected one of ${COMMANDS.join(', ')}`);
  }
  if (extra.length) throw usageError(`unexpected argument "${extra[0]}"`);
  if (command === 'forget' && (values.events !== undefined || values.forget)) {
    throw usageError('forget takes only --port, --api and --dir');
  }
  const port = parsePort(values.port ?? String(DEFAULT_PORT));
  // A port picked at random is never the same twice, so there is nothing to find and forget.
  if (command === 'forget' && port === 0) throw usageError('forget needs the port the listener used');
  return {
    command,
    port,
    api: parseApi(values.api ?? env.DROPGATE_URL ?? 'http://localhost:3000'),
    events: values.events === undefined ? [...EVENT_TYPES] : parseEvents(values.events),
    forget: Boolean(values.forget),
    dir: resolve(values.dir ?? '.local-webhooks'),
  };
}

function parsePort(value) {
  const port = Number(value);
  if (!/^\d+$/.test(value) || (port !== 0 && (port < 1024 || port > 65535))) {
    throw usageError(`--port must be 0 or a whole number from 1024 to 65535 (got "${value}")`);
  }
  return port;
}

function parseApi(value) {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw usageError(`--api must be an http(s) URL such as http://localhost:3000 (got "${value}")`);
  }
  // Without a trailing slash, so that `${api}/api/...` works for an API served under a prefix too.
  const url = new URL(value);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseEvents(value) {
  const events = [...new Set(value.split(',').map((type) => type.trim()))].filter(Boolean);
  const unknown = events.find((type) => !EVENT_TYPES.includes(type));
  if (unknown !== undefined || events.length === 0) {
    throw usageError(
      `--events ${unknown === undefined ? 'is empty' : `has unknown type "${unknown}"`}; the types are ${EVENT_TYPES.join(', ')}`,
    );
  }
  return events;
}
