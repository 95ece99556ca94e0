import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The requests that take turns: creates, short and bound by a database connection each. Others
 * are never held behind them: a complete may copy gigabytes, and probes must answer while busy.
 */
const CREATES = /^\/api\/uploads(?:\/batch|\/presigned-post)?\/?(?:\?|$)/;
export const isCreate = (request: FastifyRequest) => request.method === 'POST' && CREATES.test(request.url);

interface Waiting {
  request: FastifyRequest;
  admit: () => void;
}

/**
 * At most `limit` creates are worked on at once; the rest wait, in arrival order, before any of
 * their work starts (before the body is parsed, the token checked, or a query built). With a few
 * database connections, hundreds of creates in flight only queue for them, each holding
 * everything it has built so far; waiting here, a request holds only its socket and headers.
 * A request whose client goes away while it waits is dropped from the queue. 0 turns it off.
 */
export function configureAdmission(app: NestFastifyApplication, { limit }: { limit: number }): void {
  if (limit > 0) admitInTurn(app.getHttpAdapter().getInstance(), limit, isCreate);
}

/** The hooks of configureAdmission on a Fastify instance, for the requests `queued` picks. */
export function admitInTurn(
  fastify: FastifyInstance,
  limit: number,
  queued: (request: FastifyRequest) => boolean,
): void {
  const admitted = new WeakSet<FastifyRequest>();
  const waiting: Waiting[] = [];
  let running = 0;

  const admit = (request: FastifyRequest) => {
    running += 1;
    admitted.add(request);
  };
  const release = (request: FastifyRequest) => {
    if (admitted.delete(request)) {
      running -= 1;
      const next = waiting.shift();
      if (next) next.admit();
      return;
    }
    const index = waiting.findIndex((entry) => entry.request === request);
    if (index !== -1) waiting.splice(index, 1);
  };

  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!queued(request)) return done();
    if (running < limit) {
      admit(request);
      return done();
    }
    waiting.push({ request, admit: () => (admit(request), done()) });
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    release(request);
    done();
  });
}
