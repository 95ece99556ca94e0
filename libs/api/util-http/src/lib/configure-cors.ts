import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Every method a route answers; a preflight for any other fails. */
export const CORS_METHODS = ['GET', 'POST', 'PATCH', 'DELETE'];

/** Every request header a client of the routes sends. */
export const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'];

/** Response headers a cross-origin client needs to read: the trace id, when to retry, a replay. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'];

/**
 * Lets web apps on the configured origins (a portal embedding the upload screen, `npm run dev`)
 * call every route. Nothing is allowed without configured origins: same-origin needs no CORS.
 */
export function configureCors(app: NestFastifyApplication, origins: readonly string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: [...origins],
    methods: CORS_METHODS,
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
}
