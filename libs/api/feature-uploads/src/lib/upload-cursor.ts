import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Where a page ended, and for which query: a cursor is only good for the query that made it. */
export interface CursorPosition {
  /** The last id of the page; the next page starts below it (ids are time-ordered). */
  afterId: string;
  /** The query's owner and status filter, so that a cursor cannot be replayed on another query. */
  query: string;
}

/**
 * Opaque, tamper-evident cursors: the position as base64url JSON and an HMAC-SHA256 of it with a
 * key the instances share (made once by a migration). Changing any byte makes `decode` refuse it.
 */
export function encodeCursor(position: CursorPosition, key: KeyObject): string {
  const body = Buffer.from(JSON.stringify([position.afterId, position.query])).toString('base64url');
  return `${body}.${mac(body, key)}`;
}

/** The position, or undefined for anything that is not a cursor this key made. */
export function decodeCursor(cursor: string, key: KeyObject): CursorPosition | undefined {
  const [body, signature, extra] = cursor.split('.');
  if (!body || !signature || extra !== undefined || cursor.length > 512) return undefined;
  const expected = Buffer.from(mac(body, key));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'string'))
      return undefined;
    return { afterId: value[0], query: value[1] };
  } catch {
    return undefined;
  }
}

const mac = (body: string, key: KeyObject) => createHmac('sha256', key).update(body).digest('base64url');
