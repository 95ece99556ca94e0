import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';

/** Hashed bundle names, also as their build-time `.br` and `.gz` copies. */
const HASHED = /-[A-Z0-9]{8}\.(js|css)(\.br|\.gz)?$/;

/**
 * Serves the built web app: the brotli or gzip copy written at build time when the browser
 * accepts it (never compressed per request), hashed assets cached for a year, index.html never
 * cached, and any other non-API path answered with index.html so that deep links reach the
 * Angular router.
 */
export async function serveWebApp(app: NestFastifyApplication, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    preCompressed: true,
    setHeaders: (reply, path) => {
      const immutable = HASHED.test(path);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/*', (request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api') return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
