/**
 * Whether `url` addresses the Dropgate API: the same origin as the API base, and a path inside it.
 * Both are resolved against the page first, so `/api/x`, `//host/api/x` and absolute URLs are all
 * judged by where the browser would really send them. Anything else (S3 above all) is not the API.
 */
export function isApiUrl(url: string, apiBase: string, pageUrl: string): boolean {
  if (!URL.canParse(url, pageUrl) || !URL.canParse(apiBase, pageUrl)) return false;
  const target = new URL(url, pageUrl);
  const base = new URL(apiBase, pageUrl);
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return (
    target.origin === base.origin && (target.pathname === base.pathname || target.pathname.startsWith(prefix))
  );
}
