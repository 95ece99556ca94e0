import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The largest JSON body accepted: a create request is a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** JSON only: a form or text body is refused with 415 rather than validated field by field. */
export function configureJsonBody(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useBodyParser('application/x-www-form-urlencoded', {}, () => {
    throw new UnsupportedMediaTypeException('Send the body as application/json');
  });
}
