import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyBaseLogger } from 'fastify';
import { S3Presigner } from '@dropgate/api/data-access-s3';
import { authConfig, type AuthSettings } from '@dropgate/api/feature-auth';
import type { Principal } from '@dropgate/shared/api-contract';
import { PinoNestLogger, createLogger, requestIdFrom } from '@dropgate/api/util-http';
import { AppModule } from './app.module';
import { serverConfig, type ServerSettings } from './server.config';
import { setUpOpenApi } from './openapi';
import { helmetHeaders } from './security-headers';
import { serveWebApp } from './web-app';

/** The largest JSON body accepted: a presign request is a few hundred bytes. */
const BODY_LIMIT_BYTES = 16 * 1024;

/** Builds the API with everything `main.ts` runs: logging, security headers, CORS, docs, web app. */
export async function createApp(settings: ServerSettings = serverConfig()): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: createLogger(settings.logLevel),
    // One log line per request (below) rather than Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers['x-request-id']),
    // The request line below names its request itself, so no request needs a child logger of its
    // own (pino builds one per request otherwise, a tenth of the time a presign takes).
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: settings.trustProxy,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoNestLogger(fastify.log));
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();

  const uploadOrigin = await app.get(S3Presigner).uploadOrigin();
  const identityOrigin = new URL(app.get<AuthSettings>(authConfig.KEY).issuer).origin;
  const pageHeaders = helmetHeaders({
    contentSecurityPolicy: { directives: cspDirectives(uploadOrigin, identityOrigin) },
    // Signing in again opens the provider in a pop-up that comes back to this page and hands the
    // result to its opener. Any stricter policy on this page severs that link on the way back.
    crossOriginOpenerPolicy: { policy: 'unsafe-none' },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const isApiCall = request.url.startsWith('/api/') && !request.url.startsWith('/api/docs');
    reply.headers(isApiCall ? API_HEADERS : pageHeaders).header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        requestId: request.id,
        // The readable subject, not its key segment.
        subject: (request as { principal?: Principal }).principal?.subject,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  // JSON only: a form or text body is refused with 415 rather than validated field by field.
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/x-www-form-urlencoded', {}, () => {
    throw new UnsupportedMediaTypeException('Send the body as application/json');
  });

  if (settings.corsOrigins.length > 0) {
    app.enableCors({
      origin: settings.corsOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  }
  setUpOpenApi(app);
  const webDir = settings.webDistDir ?? join(__dirname, '..', 'web', 'browser');
  if (existsSync(join(webDir, 'index.html'))) {
    await serveWebApp(app, webDir);
  } else {
    fastify.log.warn({ webDir }, 'web app not found; serving the API only');
  }
  return app;
}

/**
 * JSON responses are never rendered, so they carry the headers OWASP's REST guidance lists
 * rather than a browser page's full set: no sniffing, no framing, HTTPS only.
 */
const API_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

/**
 * The web app may talk to this API, POST files to the bucket's origin, and fetch the identity
 * provider's discovery, keys and tokens; nothing else.
 */
function cspDirectives(uploadOrigin: string, identityOrigin: string): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    // The MD5 of each part is computed by WebAssembly (hash-wasm, in a worker): compiling it needs
    // 'wasm-unsafe-eval', which allows WebAssembly and not JavaScript eval.
    scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
    // Angular and Swagger UI set inline styles.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'", uploadOrigin, identityOrigin],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'", uploadOrigin],
  };
}
