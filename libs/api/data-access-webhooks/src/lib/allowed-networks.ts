// As a namespace: ipaddr's functions call each other through `this`.
import * as ipaddr from 'ipaddr.js';
import { ConfigError } from '@dropgate/api/util-config';

/** A network that webhooks may reach although it is not public (`WEBHOOK_ALLOWED_CIDRS`). */
export interface AllowedNetwork {
  /** As configured, for messages. */
  readonly cidr: string;
  readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

// Azure's wire server answers from a public address but belongs to the host, like a metadata service.
const HOST_SERVICES = new Set(['168.63.129.16']);

/**
 * Parses `10.20.0.0/16,127.0.0.0/8,::1/128` (a bare address counts as one host). Throws a
 * ConfigError naming WEBHOOK_ALLOWED_CIDRS for anything that is not a network.
 */
export function parseAllowedNetworks(list: string): AllowedNetwork[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map(parseNetwork);
}

/**
 * True when `address` (IPv4 or IPv6, IPv4-mapped IPv6 unwrapped) is an ordinary public unicast
 * address: not loopback, private, link-local, CGNAT, unique-local, reserved, NAT64 or 6to4.
 */
export function isPublicUnicast(address: string): boolean {
  const ip = parseIp(address);
  return ip !== null && ip.range() === 'unicast' && !HOST_SERVICES.has(ip.toString());
}

/** The first allowed network that holds `address`, if any. */
export function allowedNetworkOf(
  address: string,
  networks: readonly AllowedNetwork[],
): AllowedNetwork | undefined {
  const ip = parseIp(address);
  if (ip === null) return undefined;
  return networks.find(({ range: [base, bits] }) => ip.kind() === base.kind() && ip.match(base, bits));
}

/** The name of the range an address falls in (`loopback`, `private`, `linkLocal`…), for messages. */
export function rangeOf(address: string): string {
  const ip = parseIp(address);
  if (ip === null) return 'invalid';
  return HOST_SERVICES.has(ip.toString()) ? 'cloud host service' : ip.range();
}

function parseIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  // `process` unwraps ::ffff:a.b.c.d, so a mapped loopback address is judged as loopback.
  return ipaddr.isValid(address) ? ipaddr.process(address) : null;
}

function parseNetwork(cidr: string): AllowedNetwork {
  const withPrefix = cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`;
  const [address = ''] = withPrefix.split('/');
  // ipaddr also reads 0x7f.1 and the like; a network someone has to review should read plainly.
  const plain = address.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(address);
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    if (!plain) throw new Error('not a plain address');
    range = ipaddr.parseCIDR(withPrefix);
  } catch {
    throw new ConfigError(
      'WEBHOOK_ALLOWED_CIDRS',
      `has "${cidr}", which is not a network: list networks in CIDR notation separated by commas, e.g. 10.20.0.0/16,fd00::/8`,
    );
  }
  return { cidr, range: unwrapMapped(range) };
}

/** `::ffff:10.0.0.0/104` is the IPv4 network 10.0.0.0/8, which is how addresses are compared. */
function unwrapMapped([base, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): [
  ipaddr.IPv4 | ipaddr.IPv6,
  number,
] {
  if (base instanceof ipaddr.IPv6 && base.isIPv4MappedAddress() && bits >= 96)
    return [base.toIPv4Address(), bits - 96];
  return [base, bits];
}
