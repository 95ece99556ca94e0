import { createHash } from 'node:crypto';

/** Printable ASCII without the quote itself; a structured-field string (RFC 8941) may be quoted. */
const KEY = /^"?([\x20-\x21\x23-\x7e]{1,255})"?$/;

/**
 * The key in an `Idempotency-Key` header: the draft sends a structured-field string
 * (`"8e03978e-…"`), many clients a bare token; both are the same key. Undefined when unusable.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = KEY.exec(header.trim());
  if (!match) return undefined;
  const quoted = header.trim().startsWith('"');
  if (quoted !== header.trim().endsWith('"')) return undefined;
  return match[1];
}

/** What makes two requests "the same": method, route, its parameters and the parsed body. */
export function requestFingerprint(method: string, route: string, params: unknown, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, route, params ?? null, body ?? null]))
    .digest('base64url');
}
