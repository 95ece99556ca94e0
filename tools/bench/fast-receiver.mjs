// The webhook receiver the bench delivers to, run as a child process (see receiver.mjs): node:http
// with keep-alive, answering 204 as soon as a body has arrived, so that what is measured is the
// API's outbox and never the receiver. After answering it checks each delivery's Standard
// Webhooks signature (HMAC-SHA256 of id.timestamp.body under the endpoint's secret) and keeps
// `[path, upload id, epoch ms]`: a count of requests alone would also count garbage.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** The signing key of each endpoint, by the path it was registered with. */
const keys = new Map();
let receipts = [];
let rejected = 0;

/** Epoch milliseconds with the sub-millisecond part; the bench's process uses the same clock. */
const now = () => performance.timeOrigin + performance.now();

function verified(path, headers, body) {
  const key = keys.get(path);
  if (!key) return false;
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = createHmac('sha256', key).update(signed).digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((candidate) => {
    const [version, signature] = candidate.split(',', 2);
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const at = now();
    response.writeHead(204).end();
    const body = Buffer.concat(chunks).toString('utf8');
    if (!verified(request.url, request.headers, body)) {
      rejected++;
      return;
    }
    receipts.push([request.url, JSON.parse(body).data?.id ?? null, at]);
  });
});
// Longer than undici's idle keep-alive (4 s), so the API's connections are reused across runs.
server.keepAliveTimeout = 60_000;

process.on('message', (message) => {
  if (message.type === 'key') {
    keys.set(message.path, Buffer.from(message.secret.slice('whsec_'.length), 'base64'));
    process.send({ type: 'key' });
  } else if (message.type === 'count') process.send({ type: 'count', count: receipts.length, rejected });
  else if (message.type === 'take') {
    process.send({ type: 'take', receipts, rejected });
    receipts = [];
    rejected = 0;
  }
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
