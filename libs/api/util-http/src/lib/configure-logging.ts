import type { IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import type { Principal } from '@dropgate/shared/api-contract';
import { PinoNestLogger, createLogger } from './logging';
import { requestIdFrom } from './request-id';

/** The Fastify adapter's logging options: the JSON logger, request ids, no per-request logger. */
export function loggingAdapterOptions(level: string) {
  return {
    loggerInstance: createLogger(level),
    // One log line per request (below) rather than Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers['x-request-id']),
    // The request line names its request itself, so no request needs a child logger of its own
    // (pino builds one per request otherwise, a tenth of the time a presign takes).
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
  };
}

/**
 * The path of a request URL without its query string. A query may carry anything a client put
 * there: an `access_token`, or a presigned URL's `X-Amz-Signature` pasted onto our host, and a
 * log line must never hold either. Even a parameter's name could be a token, so none is kept.
 */
export function loggedPath(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

/** Nest's messages through the JSON logger, and one line per request with its path, not its URL. */
export function configureLogging(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoNestLogger(fastify.log));
  fastify.addHook('onResponse', async (request: FastifyRequest, reply) => {
    request.log.info(
      {
        requestId: request.id,
        // The readable subject, not its key segment.
        subject: (request as { principal?: Principal }).principal?.subject,
        method: request.method,
        path: loggedPath(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
}
