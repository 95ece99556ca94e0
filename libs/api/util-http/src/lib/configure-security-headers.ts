import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Origins a page of the web app may reach besides its own. */
export interface PageOrigins {
  /** Where the browser POSTs and PUTs files: the bucket's origin. */
  upload: string;
  /** The identity provider's discovery, keys and tokens. */
  identity: string;
}

/**
 * Helmet's full set on pages, the OWASP REST set on JSON; both computed once at boot and set on
 * every response as they are.
 */
export function configureSecurityHeaders(app: NestFastifyApplication, origins: PageOrigins): void {
  const pageHeaders = helmetHeaders({
    contentSecurityPolicy: { directives: cspDirectives(origins) },
    // Signing in again opens the provider in a pop-up that comes back to this page and hands the
    // result to its opener. Any stricter policy on this page severs that link on the way back.
    crossOriginOpenerPolicy: { policy: 'unsafe-none' },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    const isApiCall = request.url.startsWith('/api/') && !request.url.startsWith('/api/docs');
    reply.headers(isApiCall ? API_HEADERS : pageHeaders).header('x-request-id', request.id);
    done();
  });
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
function cspDirectives({ upload, identity }: PageOrigins): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    // The MD5 of each part is computed by WebAssembly (hash-wasm, in a worker): compiling it needs
    // 'wasm-unsafe-eval', which allows WebAssembly and not JavaScript eval.
    scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
    // Angular and Swagger UI set inline styles.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'", upload, identity],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'", upload],
  };
}

/**
 * Helmet's response headers for these options. They depend only on configuration, so they are
 * computed once at boot and set as they are on every response, instead of running helmet's
 * middleware (which rebuilds them) per request.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let completed = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => (completed = true));
  if (!completed) throw new Error('helmet did not finish synchronously');
  return headers;
}
