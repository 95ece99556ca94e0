import { isIP } from 'node:net';
import { allowedNetworkOf, isPublicUnicast, rangeOf, type AllowedNetwork } from './allowed-networks';

/** The verdict on a webhook URL: the parsed URL, or a reason a person can act on. */
export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Checks a webhook URL before it is stored and again before each delivery.
 *
 * - `https:` to a host name: accepted; its addresses are checked when it is resolved at send time.
 * - `https:` to an IP literal (any spelling; WHATWG URL normalises `0x7f000001`, `127.1`,
 *   `[::ffff:127.0.0.1]`…): public unicast, or inside an allowed network.
 * - `http:` only with allowed networks configured: to an IP literal inside one of them, or to a
 *   host name, which must then resolve into one of them at send time (plain HTTP never goes to the
 *   internet, where anyone on the path could read the payload).
 * - No other scheme, no user name or password.
 */
export function checkWebhookUrl(raw: string, allowed: readonly AllowedNetwork[]): WebhookUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse('This is not a URL: give the full address, e.g. https://example.com/webhooks.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refuse(`${url.protocol} URLs cannot receive webhooks: use an https:// URL.`);
  if (url.username || url.password)
    return refuse(
      'Remove the user name and password from the URL: deliveries are signed, so the receiver can check them with the endpoint secret instead.',
    );
  const literal = ipLiteral(url);
  if (literal === null) {
    if (url.protocol === 'http:' && allowed.length === 0) return refuse(plainHttpReason());
    return { ok: true, url };
  }
  if (allowedNetworkOf(literal, allowed)) return { ok: true, url };
  if (url.protocol === 'http:') return refuse(plainHttpReason());
  if (!isPublicUnicast(literal))
    return refuse(
      `${literal} is not a public address (${rangeOf(literal)}): webhooks are only sent to the internet, unless an administrator lists the network in WEBHOOK_ALLOWED_CIDRS.`,
    );
  return { ok: true, url };
}

/** The address of a URL whose host is an IP literal (without IPv6 brackets), or null for a name. */
export function ipLiteral(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? null : host;
}

function plainHttpReason(): string {
  return 'Use an https:// URL: plain http:// is only accepted for addresses in the networks an administrator lists in WEBHOOK_ALLOWED_CIDRS.';
}

function refuse(reason: string): WebhookUrlCheck {
  return { ok: false, reason };
}
