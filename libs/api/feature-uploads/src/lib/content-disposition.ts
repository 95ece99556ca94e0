/**
 * `attachment` with the file's name, per RFC 6266 and RFC 8187: a plain ASCII `filename` for old
 * clients (other characters become `_`, quotes and backslashes too), then `filename*` in UTF-8,
 * percent-encoded, which every current browser prefers.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
