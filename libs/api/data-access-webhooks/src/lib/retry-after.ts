/**
 * Reads a `Retry-After` header (delay in seconds, or an HTTP date) as whole seconds from `now`;
 * undefined when it is absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | string[] | undefined, now = new Date()): number | undefined {
  const header = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  // Only the HTTP-date forms: Date.parse would also read "3" or "soon-ish" as some date.
  if (!/^[A-Za-z]{3,9},? /.test(header)) return undefined;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
