import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError } from '@dropgate/api/util-config';
import { metricsRegistry, observeHttpRequest } from '@dropgate/api/util-metrics';
import type { MetricsSettings } from './metrics.config';

/**
 * Times every response by its route template, and serves the process's metrics at
 * `GET /metrics` on a port of their own (`METRICS_PORT`), never on the public one. The metrics
 * server starts with the app and closes with it.
 */
export function configureMetrics(app: NestFastifyApplication, settings: MetricsSettings): void {
  const fastify = app.getHttpAdapter().getInstance();
  // A callback hook, not an async one: no promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    observeHttpRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  // An explicit 404: the web app's catch-all would otherwise answer index.html with 200 here.
  fastify.get('/metrics', (_request, reply) => reply.callNotFound());
  if (settings.port === undefined) {
    fastify.log.info(
      'metrics are off: set METRICS_PORT (and METRICS_HOST) to serve /metrics on a port of their own',
    );
    return;
  }
  const server = metricsServer();
  const port = settings.port;
  fastify.addHook('onReady', () => listen(server, { port, host: settings.host }, fastify.log));
  fastify.addHook('onClose', (_instance, done) => {
    if (!server.listening) return done();
    server.close(() => done());
    // close() alone waits for a scrape in flight, or one stalled halfway, until it times out.
    server.closeAllConnections();
  });
}

function metricsServer(): Server {
  return createServer((request, response) => {
    const path = request.url?.split('?', 1)[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found: try GET /metrics\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
    );
  });
}

function listen(server: Server, at: Required<MetricsSettings>, log: FastifyBaseLogger): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(listenError(error, at));
    server.once('error', fail);
    server.listen(at.port, at.host, () => {
      server.off('error', fail);
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      log.info({ metricsPort: port }, `metrics on http://${host}:${port}/metrics`);
      resolve();
    });
  });
}

/** The variable to change, when the metrics server cannot listen where it was told to. */
function listenError(error: NodeJS.ErrnoException, at: Required<MetricsSettings>): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        'METRICS_PORT',
        `${at.port} is already in use on ${at.host}: stop the other server or choose another port`,
      );
    case 'EACCES':
      return new ConfigError(
        'METRICS_PORT',
        `${at.port} may not be opened by this user: choose one above 1023`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ConfigError('METRICS_HOST', `${at.host} is not an address of this machine`);
    default:
      return error;
  }
}
