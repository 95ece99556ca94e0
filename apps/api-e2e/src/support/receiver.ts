import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type {
  WebhookDeliveryDetail,
  WebhookEndpointWithSecret,
  WebhookEventType,
} from '@dropgate/shared/api-contract';
import { call } from './http';

// A webhook receiver on loopback, as a subscribed service runs one: it keeps every request as it
// arrived (the raw bytes, for the reference verification) and answers as the test tells it to.

/** One request as the receiver got it. */
export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body exactly as sent. */
  raw: Buffer;
  /** `raw` parsed, or undefined when it is not JSON. */
  json?: { type?: string; timestamp?: string; data?: Record<string, unknown> };
  /** Date.now() when the whole body had arrived. */
  at: number;
  /** Date.now() when the sender closed the connection before the answer was complete. */
  cutAt?: number;
  /** What the receiver answered (undefined while it holds the request). */
  answered?: number;
}

/** An answer: a status with headers and a body, `hang` (never answer), or a hand-written reply. */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  | 'hang'
  | ((response: ServerResponse) => void);

export type Replier = (request: Received, all: readonly Received[]) => Reply | Promise<Reply>;

export interface Receiver {
  /** `http://127.0.0.1:<port>/` (or the host it listens on). */
  url: string;
  port: number;
  /** Every request so far, in the order their bodies arrived. */
  received: Received[];
  /** TCP connections accepted so far (a blocked target must get none). */
  connections(): number;
  /** How to answer from now on (200 `ok` until told otherwise). */
  reply(replier: Replier): void;
  /** The requests whose `webhook-id` is `id`, in order. */
  withId(id: string): Received[];
  /** Resolves once `check` holds for the requests so far; throws, with what arrived, at the deadline. */
  waitFor(what: string, check: (all: readonly Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on a random port of `host` (127.0.0.1 by default). */
export async function startReceiver(
  replier: Replier = () => ({ status: 200, body: 'ok' }),
  host = '127.0.0.1',
): Promise<Receiver> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let answer = replier;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        raw,
        json: parseJson(raw),
        at: Date.now(),
      };
      received.push(entry);
      response.on('close', () => {
        if (!response.writableFinished) entry.cutAt = Date.now();
      });
      // A sender that stops reading (the 1 KiB cap) resets the connection under a long reply.
      response.on('error', () => undefined);
      void Promise.resolve(answer(entry, received)).then((reply) => {
        if (reply === 'hang') return;
        if (typeof reply === 'function') {
          reply(response);
          entry.answered = response.statusCode;
          return;
        }
        entry.answered = reply.status;
        response.writeHead(reply.status, reply.headers);
        response.end(reply.body);
      });
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host === '::' ? '::1' : host}]` : host;

  const receiver: Receiver = {
    url: `http://${shownHost}:${port}/`,
    port,
    received,
    connections: () => connections,
    reply: (next) => (answer = next),
    withId: (id) => received.filter((r) => r.headers['webhook-id'] === id),
    async waitFor(what, check, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(received)) {
        if (Date.now() > deadline) {
          const seen = received.map((r) => `${r.headers['webhook-id']} ${r.json?.type} → ${r.answered}`);
          throw new Error(`receiver: no ${what} within ${timeoutMs} ms; got:\n${seen.join('\n')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/**
 * The spec's reference verification, on the raw body and the headers as received: the parsed
 * payload, or the verification error it throws.
 */
export function verify(secret: string, request: Received): unknown {
  return new Webhook(secret).verify(request.raw, {
    'webhook-id': request.headers['webhook-id'],
    'webhook-timestamp': request.headers['webhook-timestamp'],
    'webhook-signature': request.headers['webhook-signature'],
  });
}

/** The `v1,…` signatures of a request, each alone, as headers a receiver could verify one by one. */
export function eachSignature(request: Received): Received[] {
  return (request.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((signature) => ({ ...request, headers: { ...request.headers, 'webhook-signature': signature } }));
}

function parseJson(raw: Buffer): Received['json'] {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

// The admin API, as these tests drive it (the service client holds `webhooks:admin`).

/** Registers an endpoint for `url`; throws with the answer unless it is 201. */
export async function register(
  baseUrl: string,
  url: string,
  eventTypes: WebhookEventType[],
  description = 'e2e receiver',
): Promise<WebhookEndpointWithSecret> {
  const answer = await call(baseUrl, 'POST', '/api/webhooks/endpoints', { url, eventTypes, description });
  if (answer.status !== 201) throw new Error(`register ${url}: ${answer.status} ${answer.text}`);
  return answer.json<WebhookEndpointWithSecret>();
}

/** Queues a `webhook.test` for the endpoint; its delivery's id and its `webhook-id`. */
export async function sendTest(baseUrl: string, endpointId: string) {
  const answer = await call(baseUrl, 'POST', `/api/webhooks/endpoints/${endpointId}/test`);
  if (answer.status !== 202) throw new Error(`test ${endpointId}: ${answer.status} ${answer.text}`);
  return answer.json<{ deliveryId: string; eventId: string }>();
}

/** `GET /api/webhooks/deliveries/:id`. */
export async function deliveryDetail(baseUrl: string, id: string): Promise<WebhookDeliveryDetail> {
  const answer = await call(baseUrl, 'GET', `/api/webhooks/deliveries/${id}`);
  if (answer.status !== 200) throw new Error(`delivery ${id}: ${answer.status} ${answer.text}`);
  return answer.json<WebhookDeliveryDetail>();
}

/** Polls a delivery until `check` holds; throws, with the last detail, at the deadline. */
export async function deliveryWhen(
  baseUrl: string,
  id: string,
  what: string,
  check: (delivery: WebhookDeliveryDetail) => boolean,
  timeoutMs = 20_000,
): Promise<WebhookDeliveryDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const delivery = await deliveryDetail(baseUrl, id);
    if (check(delivery)) return delivery;
    if (Date.now() > deadline) {
      throw new Error(`delivery ${id}: not ${what} within ${timeoutMs} ms: ${JSON.stringify(delivery)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
