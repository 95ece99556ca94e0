// The receiver: an HTTP server on 127.0.0.1 that checks each delivery's Standard Webhooks
// signature over the raw body bytes (re-serialised JSON would not match), answers 2xx only to
// valid ones so that the API retries the rest, and prints one line per delivery.
import { createServer } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { LocalServiceError } from '../local-service/errors.mjs';
import { eventLine, rejectedLine } from './lines.mjs';

export const RECEIVER_PATH = '/webhooks';

/** Events are under 20 KB; anything far larger is not a delivery and is not read. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Listens on 127.0.0.1:`port` (0: a free one) and prints to `print`. Deliveries are answered 503
 * until `useSecret` is called: the API retries them once the endpoint's secret is known.
 */
export async function startReceiver(port, print) {
  let webhook;
  const seen = new Set();
  const server = createServer((request, response) => {
    const answer = (status, text = '', headers = {}) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      response.end(text);
    };
    if (new URL(request.url ?? '/', 'http://receiver').pathname !== RECEIVER_PATH) return answer(404);
    if (request.method !== 'POST') return answer(405, '', { allow: 'POST' });
    readBody(request).then(
      (body) => {
        if (body === undefined) {
          print(rejectedLine(request.headers, `body over ${MAX_BODY_BYTES} bytes`));
          return answer(413);
        }
        if (!webhook) return answer(503, 'not ready', { 'retry-after': '5' });
        let event;
        try {
          event = webhook.verify(body, request.headers);
        } catch (error) {
          // A SyntaxError comes after the signature matched: signed, but not an event.
          const reason = error instanceof WebhookVerificationError ? 'bad signature' : 'body is not JSON';
          print(rejectedLine(request.headers, `${reason} (${error.message})`));
          // The API keeps the first KiB of the answer in the delivery log: say why there.
          return answer(400, `rejected by npm run webhooks: ${reason}\n`);
        }
        const id = String(request.headers['webhook-id']);
        print(eventLine(event, id, seen.has(id)));
        seen.add(id);
        answer(204);
      },
      () => response.destroy(),
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalServiceError(
              `port ${port} on 127.0.0.1 is in use (another listener?); choose another with --port, or --port 0 for a free one`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = server.address().port;
  return {
    port: bound,
    url: new URL(`http://127.0.0.1:${bound}${RECEIVER_PATH}`).href,
    useSecret: (secret) => (webhook = new Webhook(secret)),
    /** Stops accepting and drops the API's kept-alive connections, so the process can end. */
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The raw body, or undefined once it passes the limit (the rest is not read). */
function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners('data');
        request.pause();
        return resolve(undefined);
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
