import * as ipaddr from 'ipaddr.js';

/** Names Fastify's trustProxy (proxy-addr) expands into ranges, such as 127.0.0.0/8 and ::1. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

// Four decimal parts only: ipaddr.js also reads `127.1` and `0x7f.1`, which nobody means.
const isAddress = (value: string) => ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);

/**
 * Whether `value` can name a proxy whose X-Forwarded-For the API believes: an IPv4 or IPv6
 * address, a CIDR range (`10.0.0.0/8`), or one of `loopback`, `linklocal`, `uniquelocal`.
 */
export function isTrustedProxy(value: string): boolean {
  if (RANGE_NAMES.has(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || !isAddress(address)) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (ipaddr.parse(address).kind() === 'ipv4' ? 32 : 128);
}
