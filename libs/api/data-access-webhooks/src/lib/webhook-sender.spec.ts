import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseAllowedNetworks } from './allowed-networks';
import { WebhookSender } from './webhook-sender';

interface Received {
  method?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 that counts the connections it accepted. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const sockets = new Set<Socket>();
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body });
      handler(req, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stats = { connections: 0 };
  server.on('connection', () => stats.connections++);
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    stats,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

type Server = Awaited<ReturnType<typeof serve>>;

describe('WebhookSender', () => {
  const servers: Server[] = [];
  const senders: WebhookSender[] = [];
  const start = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = await serve(handler);
    servers.push(server);
    return server;
  };
  const sender = (cidrs = '127.0.0.0/8,::1/128', attemptTimeoutMs = 500) => {
    const sut = new WebhookSender({
      allowed: parseAllowedNetworks(cidrs),
      connectTimeoutMs: 1_000,
      attemptTimeoutMs,
    });
    senders.push(sut);
    return sut;
  };
  const post = (sut: WebhookSender, url: string, signal?: AbortSignal) =>
    sut.send({
      url,
      headers: { 'webhook-id': 'msg_1', 'Webhook-Signature': 'v1,abc' },
      body: '{"a":1}',
      signal,
    });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((sut) => sut.onModuleDestroy()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('should POST the body as JSON with the given headers and return a 200 with its body', async () => {
    const server = await start((_req, res) => res.end('thanks'));
    const result = await post(sender(), server.url);
    expect(result).toEqual({
      outcome: 'response',
      status: 200,
      body: 'thanks',
      durationMs: expect.any(Number),
    });
    expect(server.received).toEqual([
      {
        method: 'POST',
        body: '{"a":1}',
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'webhook-id': 'msg_1',
          'webhook-signature': 'v1,abc',
        }),
      },
    ]);
  });

  it.each([500, 410, 404])('should return a %d as a response', async (status) => {
    const server = await start((_req, res) => res.writeHead(status).end('no'));
    expect(await post(sender(), server.url)).toMatchObject({ outcome: 'response', status, body: 'no' });
  });

  it('should return a 302 as it is and never contact where it points', async () => {
    const elsewhere = await start((_req, res) => res.end('followed'));
    const server = await start((_req, res) => res.writeHead(302, { location: elsewhere.url }).end());
    expect(await post(sender(), server.url)).toMatchObject({ outcome: 'response', status: 302 });
    expect(elsewhere.stats.connections).toBe(0);
  });

  it('should return a redirect to the metadata service as a 302 without following it', async () => {
    const server = await start((_req, res) =>
      res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    const result = await post(sender(), server.url);
    expect(result).toMatchObject({ outcome: 'response', status: 307 });
    expect(result.durationMs).toBeLessThan(400);
  });

  it('should cut a server that never answers at the attempt deadline while another send completes', async () => {
    const hanging = await start(() => undefined);
    const quick = await start((_req, res) => setTimeout(() => res.end('ok'), 50));
    const sut = sender();
    const finished: string[] = [];
    const [slow, fast] = await Promise.all([
      post(sut, hanging.url).finally(() => finished.push('hanging')),
      post(sut, quick.url).finally(() => finished.push('quick')),
    ]);
    expect(fast).toMatchObject({ outcome: 'response', status: 200, body: 'ok' });
    expect(fast.durationMs).toBeLessThan(400);
    expect(slow).toEqual({ outcome: 'failed', error: 'timeout', durationMs: expect.any(Number) });
    expect(slow.durationMs).toBeGreaterThanOrEqual(450);
    expect(slow.durationMs).toBeLessThan(1_500);
    expect(finished).toEqual(['quick', 'hanging']);
  });

  it('should keep 1 KiB of a 10 MB reply, close the connection and not wait for the rest', async () => {
    let completed: boolean | undefined;
    const server = await start((_req, res) => {
      res.on('close', () => (completed = res.writableFinished));
      res.end(Buffer.alloc(10 * 1024 * 1024, 'x'));
    });
    const result = await post(sender('127.0.0.0/8', 5_000), server.url);
    expect(result).toMatchObject({ outcome: 'response', status: 200, body: 'x'.repeat(1024) });
    expect(result.durationMs).toBeLessThan(1_000);
    await waitFor(() => completed !== undefined);
    expect(completed).toBe(false);
  });

  it('should cut a dripping reply at the deadline, keep what arrived and close the connection', async () => {
    let closed = false;
    const server = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => res.write('a'), 20);
      res.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
    });
    const result = await post(sender(), server.url);
    expect(result).toMatchObject({
      outcome: 'response',
      status: 200,
      body: expect.stringMatching(/^a{5,40}$/),
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(450);
    expect(result.durationMs).toBeLessThan(1_500);
    await waitFor(() => closed);
  });

  it('should keep no NUL of a reply, which PostgreSQL could not record', async () => {
    const server = await start((_req, res) => res.end('ok\0\0done'));
    expect(await post(sender(), server.url)).toMatchObject({ body: 'ok\uFFFD\uFFFDdone' });
  });

  it('should not cut a UTF-8 character in half at 1 KiB', async () => {
    const server = await start((_req, res) => res.end(`${'a'.repeat(1023)}é and more`));
    expect(await post(sender(), server.url)).toMatchObject({ body: 'a'.repeat(1023) });
  });

  it.each([
    [
      'https://localhost',
      '',
      /^localhost resolves to (127\.0\.0\.1|::1): loopback addresses are not reachable/,
    ],
    [
      'http://localhost',
      '10.0.0.0/8',
      /^localhost resolves to .*: plain http:\/\/ is only sent to the networks/,
    ],
    ['http://127.0.0.1', '', /^Use an https:\/\/ URL/],
    ['https://127.0.0.1', '', /^127\.0\.0\.1 is not a public address \(loopback\)/],
    ['http://[::ffff:127.0.0.1]', '10.0.0.0/8', /^Use an https:\/\/ URL/],
  ])('should block %s with allowances "%s" before connecting', async (base, cidrs, reason) => {
    const server = await start((_req, res) => res.end('reached'));
    const result = await post(sender(cidrs), `${base}:${server.port}/hook`);
    expect(result).toEqual({
      outcome: 'blocked',
      reason: expect.stringMatching(reason),
      durationMs: expect.any(Number),
    });
    expect(server.stats.connections).toBe(0);
  });

  it('should reach a host name over plain http when it resolves into an allowed network', async () => {
    const server = await start((_req, res) => res.end('reached'));
    const result = await post(sender(), `http://localhost:${server.port}/hook`);
    expect(result).toMatchObject({ outcome: 'response', status: 200, body: 'reached' });
  });

  it.each([
    ['120', () => '120', 120],
    ['an HTTP date a minute ahead', () => new Date(Date.now() + 60_000).toUTCString(), 60],
  ])('should read Retry-After: %s as seconds', async (_name, header, seconds) => {
    const server = await start((_req, res) => res.writeHead(503, { 'retry-after': header() }).end());
    const result = await post(sender(), server.url);
    expect(result).toMatchObject({ outcome: 'response', status: 503 });
    const retryAfter = result.outcome === 'response' ? result.retryAfterSeconds : undefined;
    expect(retryAfter).toBeGreaterThanOrEqual(seconds - 1);
    expect(retryAfter).toBeLessThanOrEqual(seconds);
  });

  it('should send nothing once shut down, whether or not it had sent before', async () => {
    const server = await start((_req, res) => res.end('thanks'));
    const used = sender();
    expect(await post(used, server.url)).toMatchObject({ outcome: 'response', status: 200 });
    const unused = sender();
    await Promise.all([used.onModuleDestroy(), unused.onModuleDestroy()]);
    for (const sut of [used, unused])
      expect(await post(sut, server.url)).toMatchObject({ outcome: 'failed' });
    expect(server.received).toHaveLength(1);
  });

  it('should report a closed port as connection refused', async () => {
    const server = await start(() => undefined);
    await server.close();
    expect(await post(sender(), server.url)).toMatchObject({
      outcome: 'failed',
      error: 'connection refused',
    });
  });

  it('should report a connection dropped before the answer as reset', async () => {
    const server = await start((req) => req.socket.destroy());
    expect(await post(sender(), server.url)).toMatchObject({ outcome: 'failed', error: 'reset' });
  });

  it("should report the caller's cancel as aborted, before the deadline", async () => {
    const server = await start(() => undefined);
    const result = await post(sender(), server.url, AbortSignal.timeout(100));
    expect(result).toMatchObject({ outcome: 'failed', error: 'aborted' });
    expect(result.durationMs).toBeLessThan(450);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 1_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
