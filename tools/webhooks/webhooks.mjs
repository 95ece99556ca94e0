#!/usr/bin/env node
// `npm run webhooks -- listen`: a local receiver for Dropgate's webhooks, as `stripe listen` is for
// Stripe's. It registers an endpoint for itself (or reuses the one for its URL), verifies every
// delivery with the endpoint's secret and prints one line per event on standard output; what it
// does is said on standard error, so `npm run -s webhooks -- listen > events.log` keeps the events.
// `forget` deletes the endpoint and its saved secret. See --help, and README "Webhooks".
import { LocalServiceError } from '../local-service/errors.mjs';
import { EVENT_TYPES, USAGE, parseCommandLine } from './args.mjs';
import { ensureEndpoint, forgetEndpoint } from './endpoint.mjs';
import { RECEIVER_PATH, startReceiver } from './receiver.mjs';
import { secretFile } from './secret-file.mjs';

const say = (message) => console.error(`webhooks: ${message}`);

const receiverUrl = (port) => new URL(`http://127.0.0.1:${port}${RECEIVER_PATH}`).href;

async function listen(options) {
  const receiver = await startReceiver(options.port, (line) => console.log(line));
  const port = receiver.port;
  say(`listening on ${receiver.url}`);
  let endpoint;
  try {
    const found = await ensureEndpoint({ ...options, port, url: receiver.url }, say);
    endpoint = found.endpoint;
    receiver.useSecret(found.secret);
  } catch (error) {
    await receiver.close();
    throw error;
  }
  const types =
    endpoint.eventTypes.length === EVENT_TYPES.length ? 'every event' : endpoint.eventTypes.join(', ');
  say(`ready: ${types} from ${options.api}; Ctrl-C to stop`);
  await stopSignal();
  await receiver.close();
  if (!options.forget) {
    // Deliveries made while nobody listens are retried for days, so a restart receives them.
    say(
      `stopped; endpoint ${endpoint.id} stays registered, and what happens meanwhile is retried until ` +
        `you listen on port ${port} again (npm run webhooks -- forget --port ${port} deletes it)`,
    );
    return;
  }
  await forgetEndpoint({ ...options, port, url: receiver.url });
  say(`stopped; deleted endpoint ${endpoint.id} and ${secretFile(options.dir, port).path}`);
}

async function forget(options) {
  const url = receiverUrl(options.port);
  const found = await forgetEndpoint({ ...options, url });
  say(found ? `deleted endpoint ${found.id} for ${url}` : `no endpoint for ${url} at ${options.api}`);
}

/** Resolves on the first Ctrl-C or SIGTERM; a second one ends the process at once. */
function stopSignal() {
  return new Promise((resolve) => {
    const stop = () => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function main() {
  const options = parseCommandLine(process.argv.slice(2));
  if (options.help) return console.log(USAGE);
  await { listen, forget }[options.command](options);
}

main().catch((error) => {
  const known = error instanceof LocalServiceError;
  console.error(`webhooks: ${known ? error.message : `unexpected failure: ${error.message}`}`);
  process.exit(known ? error.exitCode : 1);
});
