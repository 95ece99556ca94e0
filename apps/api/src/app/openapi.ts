import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type * as Swagger from '@nestjs/swagger';
import {
  ProblemDetailsDto,
  ProblemException,
  ProblemFieldErrorDto,
  loadSwagger,
  replyWithProblem,
  toProblem,
} from '@dropgate/api/util-http';

/**
 * Swagger UI at /api/docs and the OpenAPI document at /api/docs-json, built when first asked for
 * (`@nestjs/swagger` is loaded only then).
 */
export function setUpOpenApi(app: NestFastifyApplication): Promise<void> {
  return serveApiDocs(app, {
    uiPath: '/api/docs',
    jsonPath: '/api/docs-json',
    uiOptions: { showExtensions: true },
    describe: ({ DocumentBuilder, SwaggerModule }) => {
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
      return SwaggerModule.createDocument(app, config, {
        extraModels: [ProblemDetailsDto, ProblemFieldErrorDto],
      });
    },
  });
}

interface ApiDocsOptions {
  /** Where Swagger UI is served, such as `/api/docs`. */
  uiPath: string;
  /** Where the OpenAPI document is served as JSON, such as `/api/docs-json`. */
  jsonPath: string;
  /** Builds the document, with the loaded package; called once, on the first request for it. */
  describe: (swagger: typeof Swagger) => Swagger.OpenAPIObject;
  /** Swagger UI's own options (`showExtensions`, ...). */
  uiOptions?: Record<string, unknown>;
}

/**
 * Serves Swagger UI and the OpenAPI document without loading `@nestjs/swagger` until someone
 * asks for the document (see openapi-decorators.ts). Swagger UI itself is `swagger-ui-dist`'s
 * files, as `SwaggerModule.setup` serves them, with a page and a start-up script of our own that
 * point it at the JSON route. Everything is registered before the server listens: Fastify takes
 * no routes after that.
 */
async function serveApiDocs(app: NestFastifyApplication, options: ApiDocsOptions): Promise<void> {
  const { uiPath, jsonPath } = options;
  const fastify = app.getHttpAdapter().getInstance();
  // Built once, on the first request. A failure is kept too, and logged once (as a
  // ProblemException, it is not logged again): it is a defect of the build, and building again on
  // every request would let anyone make the API redo that work.
  let documentJson: Promise<string> | undefined;
  const getDocumentJson = (requestId: string) =>
    (documentJson ??= loadSwagger()
      .then((swagger) => JSON.stringify(options.describe(swagger)))
      .catch((error: unknown) => {
        fastify.log.error({ err: error, requestId }, 'the OpenAPI document could not be built');
        throw new ProblemException(toProblem(error));
      }));
  const page = swaggerUiPage(`${uiPath}/`);
  const script = swaggerUiScript(jsonPath, options.uiOptions ?? {});

  // These routes are Fastify's, not Nest's, so Nest's exception filter does not see their errors:
  // a failure is answered as the filter answers one, without its message (which may name paths).
  fastify.get(jsonPath, async (request, reply) => {
    try {
      return reply.type('application/json; charset=utf-8').send(await getDocumentJson(request.id));
    } catch (error) {
      return replyWithProblem(error, request, reply);
    }
  });
  for (const path of [uiPath, `${uiPath}/`, `${uiPath}/index.html`])
    fastify.get(path, (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  fastify.get(`${uiPath}/swagger-ui-init.js`, (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(script),
  );
  await app.register(fastifyStatic, {
    root: swaggerUiDistDir(),
    prefix: `${uiPath}/`,
    // Replies are decorated (`sendFile`) by serveWebApp's registration of the same plugin; a
    // second decoration would throw, and these files need none.
    decorateReply: false,
    index: false,
  });
}

/** `swagger-ui-dist`'s folder, found without loading its index (which loads the whole bundle). */
function swaggerUiDistDir(): string {
  return dirname(createRequire(__filename).resolve('swagger-ui-dist/package.json'));
}

/** Swagger UI's page, as `swagger-ui-dist`'s index.html, with its assets under `base`. */
function swaggerUiPage(base: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>Dropgate API</title>
  <link rel="stylesheet" type="text/css" href="${base}swagger-ui.css">
  <link rel="icon" type="image/png" href="${base}favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${base}favicon-16x16.png" sizes="16x16">
  <style>
    html { box-sizing: border-box; overflow-y: scroll; }
    *, *:before, *:after { box-sizing: inherit; }
    body { margin: 0; background: #fafafa; }
    .swagger-ui .topbar .download-url-wrapper { display: none; }
  </style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}swagger-ui-bundle.js"></script>
  <script src="${base}swagger-ui-standalone-preset.js"></script>
  <script src="${base}swagger-ui-init.js"></script>
</body>
</html>
`;
}

/** Starts Swagger UI on the document at `url`: a file, since the pages' CSP allows no inline script. */
function swaggerUiScript(url: string, uiOptions: Record<string, unknown>): string {
  // No validator badge: Swagger UI would send the document's URL to validator.swagger.io.
  const options = JSON.stringify({
    url,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: 'none',
    ...uiOptions,
  });
  return `window.onload = function () {
  window.ui = SwaggerUIBundle(Object.assign(${options}, {
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  }));
};
`;
}
