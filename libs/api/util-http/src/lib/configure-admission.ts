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
  const turns = new Turns(limit);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!queued(request)) return done();
    // A connection already gone has nothing to wait for, and no close left to give a turn back.
    if (request.raw.socket?.destroyed) return done();
    // How the request leaves: an admitted one gives its turn back, a waiting one leaves the
    // queue. The response closes once its answer is written, or when its client goes away
    // first; Fastify's onResponse never runs for an answer written to a connection the client
    // closed, and onRequestAbort not for one whose body had arrived whole.
    let leave: () => void;
    reply.raw.once('close', () => leave());
    const now = turns.tryTake();
    if (now) {
      leave = now;
      return done();
    }
    const wait = new AbortController();
    leave = () => wait.abort();
    turns.take(Infinity, wait.signal).then(
      (turn) => {
        // Its client left just as the turn came: pass the turn on.
        if (wait.signal.aborted) return turn();
        leave = turn;
        done();
      },
      // Aborted: the client went away while waiting, and Fastify has finished with the request.
      () => undefined,
    );
  });
}
