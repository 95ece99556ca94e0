import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The largest JSON body accepted: a create request is a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * A batch create's limit (a route's `@RouteConfig({ bodyLimit })`): 100 files whose names are at
 * their longest, 1,024 characters, each written as `\uXXXX`.
 */
export const BATCH_BODY_LIMIT_BYTES = 100 * 8 * 1024;

/**
 * JSON only: a form or text body is refused with 415 rather than validated field by field. A
 * route may raise its own body limit with `@RouteConfig({ bodyLimit })`.
 */
export function configureJsonBody(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const bodyLimit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
    if (typeof bodyLimit === 'number') route.bodyLimit = bodyLimit;
  });
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser('application/x-www-form-urlencoded', {}, () => {
    throw new UnsupportedMediaTypeException('Send the body as application/json');
  });
}
