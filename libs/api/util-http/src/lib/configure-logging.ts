import type { IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import type { Principal } from '@dropgate/shared/api-contract';
import { PinoNestLogger, createLogger } from './logging';
import { requestIdFrom } from './request-id';
import { pathOf } from './url-path';

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
        path: pathOf(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
}
