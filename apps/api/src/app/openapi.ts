import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsDto, ProblemFieldErrorDto } from '@dropgate/api/util-http';

/** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Dropgate API')
    .setDescription(
      'Issues presigned POST policies so that clients upload files straight to S3. ' +
        'Every error is `application/problem+json` (RFC 9457) with stable codes in `errors[].code`. ' +
        'Upload routes need an access token (Authorize: paste one); `x-required-scopes` lists the ' +
        'scopes each route needs.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from the OpenID provider',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDetailsDto, ProblemFieldErrorDto],
  });
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { showExtensions: true },
  });
}
