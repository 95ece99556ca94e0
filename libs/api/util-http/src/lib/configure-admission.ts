import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Turns } from '@dropgate/api/util-jobs';

/**
 * The requests that take turns: creates, short and bound by a database connection each. Others
 * are never held behind them: a complete may copy gigabytes, and probes must answer while busy.
 */
const CREATES = /^\/api\/uploads(?:\/batch|\/presigned-post)?\/?(?:\?|$)/;
export const isCreate = (request: FastifyRequest) => request.method === 'POST' && CREATES.test(request.url);

/**
 * At most `limit` creates are worked on at once; the rest wait, in arrival order, before any of
 * their work starts (before the body is parsed, the token checked, or a query built). With a few
 * database connections, hundreds of creates in flight only queue for them, each holding
 * everything it has built so far; waiting here, a request holds only its socket and headers.
 * A request whose client goes away while it waits is dropped from the queue; one whose client
 * goes away while it is worked on keeps its turn until it has answered. 0 turns it off.
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
  const turns = new Turns(limit);
  // The turn of each admitted request, given back once its work is over.
  const held = new WeakMap<FastifyRequest, () => void>();
  const giveBack = (request: FastifyRequest) => {
    held.get(request)?.();
    held.delete(request);
  };

  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!queued(request)) return done();
    const socket = request.raw.socket;
    // Its client is gone already: nothing to work on, and nobody to answer.
    if (socket.destroyed) return;
    const now = turns.tryTake();
    if (now) {
      held.set(request, now);
      return done();
    }
    // A client that goes away while its request waits takes it out of the queue. The socket's
    // close, not the response's: a response queued behind another on a pipelined connection
    // is never told that its connection closed.
    const wait = new AbortController();
    const leave = () => wait.abort();
    socket.once('close', leave);
    turns.take(Infinity, wait.signal).then(
      (turn) => {
        socket.off('close', leave);
        // Its client left just as the turn came: pass the turn on.
        if (wait.signal.aborted) return turn();
        held.set(request, turn);
        done();
      },
      // Aborted: the client went away while waiting, and Fastify has finished with the request.
      () => undefined,
    );
  });
  // The answer (a success or an error) is on its way: the request's work is over. Not before:
  // a create whose client has left still runs until it answers, and keeps its turn until then.
  // onSend runs even for an answer to a closed connection, where onResponse never does.
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    giveBack(request);
    done(null, payload);
  });
  // A body cut off by its client: no handler runs, and nothing may be sent.
  fastify.addHook('onRequestAbort', (request, done) => {
    giveBack(request);
    done();
  });
  // An answer written without onSend: Fastify's fallback error handler (an error handler that
  // failed) writes to the raw response directly.
  fastify.addHook('onResponse', (request, _reply, done) => {
    giveBack(request);
    done();
  });
}
