import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's response headers for these options. They depend only on configuration, so they are
 * computed once at boot and set as they are on every response, instead of running helmet's
 * middleware (which rebuilds them) per request.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
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
