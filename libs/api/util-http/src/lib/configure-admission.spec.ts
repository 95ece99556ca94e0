import { connect } from 'node:net';
import fastify, { type FastifyInstance } from 'fastify';
import { admitInTurn, isCreate } from './configure-admission';

/** A server whose upload route waits until the test lets each request go, in the order they came. */
async function server(limit: number) {
  // Closing drops open connections at once: a request dropped from the queue never answers.
  const app: FastifyInstance = fastify({ forceCloseConnections: true });
  admitInTurn(app, limit, isCreate);
  const started: string[] = [];
  const gates: (() => void)[] = [];
  app.post('/api/uploads', async (request) => {
    started.push((request.body as { name: string }).name);
    await new Promise<void>((resolve) => gates.push(resolve));
    return { ok: true };
  });
  app.get('/api/health/ready', async () => ({ status: 'ok' }));
  app.post('/api/uploads/:id/complete', async () => ({ status: 'available' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const post = (name: string, signal?: AbortSignal) =>
    fetch(`${base}/api/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
      signal,
    }).then((response) => response.status);
  return { app, base, started, gates, post };
}

/** A create as raw HTTP/1.1, for pipelining two in one write. */
const rawPost = (name: string) => {
  const body = JSON.stringify({ name });
  return `POST /api/uploads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('admitInTurn', () => {
  it('should work on at most `limit` requests at once, and admit the rest in arrival order', async () => {
    const { app, started, gates, post } = await server(2);
    try {
      const answers = ['a', 'b', 'c', 'd'].map((name) => post(name));
      await until(() => started.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(started).toEqual(['a', 'b']);
      gates.shift()?.();
      await until(() => started.length === 3);
      expect(started).toEqual(['a', 'b', 'c']);
      for (let i = 0; i < 3; i++) {
        await until(() => gates.length > 0);
        gates.shift()?.();
      }
      expect(await Promise.all(answers)).toEqual([200, 200, 200, 200]);
    } finally {
      await app.close();
    }
  });

  it('should drop a request whose client went away while it waited, and admit the next', async () => {
    const { app, started, gates, post } = await server(1);
    try {
      const busy = post('a');
      await until(() => started.length === 1);
      const leaving = new AbortController();
      const gone = post('gone', leaving.signal).catch((error: Error) => error.name);
      const next = post('c');
      await new Promise((resolve) => setTimeout(resolve, 50));
      leaving.abort();
      expect(await gone).toBe('AbortError');
      await new Promise((resolve) => setTimeout(resolve, 50));
      gates.shift()?.();
      await until(() => started.length === 2);
      expect(started).toEqual(['a', 'c']);
      gates.shift()?.();
      expect(await Promise.all([busy, next])).toEqual([200, 200]);
    } finally {
      await app.close();
    }
  });

  it('should keep the turn of a request whose client left until it has answered, then admit the next', async () => {
    const { app, started, gates, post } = await server(1);
    try {
      const leaving = new AbortController();
      const gone = post('gone', leaving.signal).catch((error: Error) => error.name);
      await until(() => started.length === 1);
      leaving.abort();
      expect(await gone).toBe('AbortError');
      const next = post('next');
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Its work still runs: the next waits.
      expect(started).toEqual(['gone']);
      // The handler ends, and answers a closed connection (Fastify runs no onResponse for that).
      gates.shift()?.();
      await until(() => started.length === 2);
      expect(started).toEqual(['gone', 'next']);
      gates.shift()?.();
      expect(await next).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('should drop the waiting requests of a pipelined connection that closes', async () => {
    const { app, base, started, gates, post } = await server(1);
    try {
      const busy = post('a');
      await until(() => started.length === 1);
      // Two creates in one write: the second's response is queued behind the first's.
      const { port } = new URL(base);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(rawPost('p1') + rawPost('p2'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      const next = post('c');
      await new Promise((resolve) => setTimeout(resolve, 50));
      gates.shift()?.();
      await until(() => started.length === 2);
      expect(started).toEqual(['a', 'c']);
      gates.shift()?.();
      expect(await Promise.all([busy, next])).toEqual([200, 200]);
    } finally {
      await app.close();
    }
  });

  it('should hold nothing but creates: health checks and completes answer while every place is taken', async () => {
    const { app, base, started, gates, post } = await server(1);
    try {
      const busy = post('a');
      await until(() => started.length === 1);
      expect((await fetch(`${base}/api/health/ready`)).status).toBe(200);
      expect((await fetch(`${base}/api/uploads/x/complete`, { method: 'POST' })).status).toBe(200);
      gates.shift()?.();
      expect(await busy).toBe(200);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['POST', '/api/uploads', true],
    ['POST', '/api/uploads/batch', true],
    ['POST', '/api/uploads/presigned-post?x=1', true],
    ['GET', '/api/uploads', false],
    ['POST', '/api/uploads/0190/complete', false],
    ['POST', '/api/uploads/batchx', false],
  ])('should take %s %s in turn: %s', (method, url, expected) => {
    expect(isCreate({ method, url } as never)).toBe(expected);
  });
});
