import type { NetConnectOpts } from 'node:net';

/**
 * Where clamd listens, from a CLAMD_URL: `tcp://host:port` (IPv6 in brackets) or the absolute path
 * of its unix socket. Throws a TypeError that names the accepted forms.
 */
export function parseClamdUrl(url: string): NetConnectOpts {
  if (url.startsWith('/')) return { path: url };
  const invalid = () =>
    new TypeError(`CLAMD_URL must be tcp://host:port or the absolute path of clamd's socket (got "${url}")`);
  if (!url.startsWith('tcp://') || !URL.canParse(url)) throw invalid();
  const parsed = new URL(url);
  const port = Number(parsed.port);
  const extras = parsed.username || parsed.password || parsed.search || parsed.hash;
  if (
    !parsed.hostname ||
    !Number.isInteger(port) ||
    port < 1 ||
    extras ||
    !['', '/'].includes(parsed.pathname)
  ) {
    throw invalid();
  }
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
