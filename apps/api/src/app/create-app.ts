import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { S3Presigner } from '@dropgate/api/data-access-s3';
import { authConfig, type AuthSettings } from '@dropgate/api/feature-auth';
import {
  BODY_LIMIT_BYTES,
  configureAdmission,
  configureCors,
  configureJsonBody,
  configureLogging,
  configureMetrics,
  configureSecurityHeaders,
  loggingAdapterOptions,
  metricsConfig,
} from '@dropgate/api/util-http';
import { AppModule } from './app.module';
import { serverConfig, type ServerSettings } from './server.config';
import { setUpOpenApi } from './openapi';
import { serveWebApp } from './web-app';

/** Builds the API with everything `main.ts` runs: logging, security headers, CORS, docs, web app. */
export async function createApp(settings: ServerSettings = serverConfig()): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    ...loggingAdapterOptions(settings.logLevel),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: settings.trustProxy,
    // A request that reaches a closing server on a connection it already holds is served, not
    // answered 503: a proxy may have sent it before it knew the instance was going away.
    return503OnClosing: false,
    // Longer than nginx's upstream keepalive_timeout (30 s, tools/cluster/nginx.conf), so that the
    // proxy, never the API, closes an idle connection. Fastify's default, pinned.
    keepAliveTimeout: 72_000,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  configureLogging(app);
  configureMetrics(app, metricsConfig());
  configureAdmission(app, { limit: settings.admissionLimit });
  app.setGlobalPrefix('api');
  // Once shut down, the process exits (0) rather than dying of the signal again, so that the log
  // lines still waiting for their write are written on the way out.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  configureSecurityHeaders(app, {
    upload: await app.get(S3Presigner).uploadOrigin(),
    identity: new URL(app.get<AuthSettings>(authConfig.KEY).issuer).origin,
  });
  configureJsonBody(app);
  configureCors(app, settings.corsOrigins);
  await setUpOpenApi(app);
  const webDir = settings.webDistDir ?? join(__dirname, '..', 'web', 'browser');
  if (existsSync(join(webDir, 'index.html'))) {
    await serveWebApp(app, webDir);
  } else {
    app.getHttpAdapter().getInstance().log.warn({ webDir }, 'web app not found; serving the API only');
  }
  return app;
}
