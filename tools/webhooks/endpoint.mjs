// Registers the listener's endpoint, or reuses the one already registered for its URL, and finds
// its secret: from the saved file when it is still current, else by rotating once.
import { LocalServiceError } from '../local-service/errors.mjs';
import { accessToken, webhooksApi } from './api-client.mjs';
import { isCurrentSecret, secretFile } from './secret-file.mjs';

/** `{ endpoint, secret }` for `url`, subscribed to exactly `events` and enabled. */
export async function ensureEndpoint({ api, url, port, events, dir }, say) {
  const client = webhooksApi(api, await accessToken());
  const file = secretFile(dir, port);
  const found = (await client.list()).find((endpoint) => endpoint.url === url);
  if (!found) {
    const created = await client.create({
      url,
      eventTypes: events,
      description: `npm run webhooks -- listen --port ${port}`,
    });
    file.save({ api, url, endpointId: created.id, secret: created.secret });
    say(`registered endpoint ${created.id}; its secret is saved in ${file.path}`);
    return { endpoint: created, secret: created.secret };
  }

  let endpoint = found;
  // The flags say what to receive now; a listener also wants the deliveries of an endpoint that
  // was disabled while nobody listened (a 410, five days of failures, or an admin).
  if (!found.enabled || !sameTypes(found.eventTypes, events)) {
    endpoint = await client.update(found.id, { eventTypes: events, enabled: true });
    if (!found.enabled) say(`re-enabled endpoint ${found.id} (${found.disabledReason ?? 'it was disabled'})`);
  }
  const saved = file.load();
  if (isCurrentSecret(saved, found)) {
    say(`reusing endpoint ${found.id} and its secret saved in ${file.path}`);
    return { endpoint, secret: saved.secret };
  }

  let rotated;
  try {
    rotated = await client.rotateSecret(found.id);
  } catch (error) {
    if (error.status !== 409) throw error;
    throw new LocalServiceError(
      `endpoint ${found.id} for ${url} has a secret this tool does not have (${file.path} is ` +
        `${saved ? 'out of date' : 'missing'}), and it cannot be rotated again yet: ${error.detail}. ` +
        `Delete the endpoint with npm run webhooks -- forget --port ${port} and listen again`,
    );
  }
  file.save({ api, url, endpointId: rotated.id, secret: rotated.secret });
  say(
    `reusing endpoint ${found.id}; its secret was unknown here, so it was rotated ` +
      `(the old one stays valid until ${rotated.previousSecretExpiresAt ?? 'the grace period ends'}) ` +
      `and the new one saved in ${file.path}`,
  );
  return { endpoint: rotated, secret: rotated.secret };
}

/** Deletes the endpoint registered for `url` and the saved secret; whether there was one. */
export async function forgetEndpoint({ api, url, port, dir }) {
  const client = webhooksApi(api, await accessToken());
  const found = (await client.list()).find((endpoint) => endpoint.url === url);
  if (found) await client.remove(found.id);
  secretFile(dir, port).remove();
  return found;
}

const sameTypes = (a, b) => a.length === b.length && a.every((type) => b.includes(type));
