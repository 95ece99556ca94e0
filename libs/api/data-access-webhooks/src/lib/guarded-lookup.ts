import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** Why an address may not be reached, or null when it may. */
export type AddressPolicy = (address: string) => string | null;

/** The target resolved to an address that webhooks may not reach; no connection was made. */
export class WebhookBlockedError extends Error {
  readonly code = 'WEBHOOK_TARGET_BLOCKED';

  constructor(message: string) {
    super(message);
    this.name = 'WebhookBlockedError';
  }
}

type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for `net.connect` that resolves every address of a host and refuses the whole host
 * when any of them breaks the policy. The socket then connects to the addresses checked here, so a
 * second DNS answer (rebinding) cannot swap in another one.
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error) return callback(error, '');
      // Any refused address refuses the host: a round-robin answer must not sneak one through.
      for (const { address } of addresses) {
        const reason = policy(address);
        if (reason !== null)
          return callback(new WebhookBlockedError(`${hostname} resolves to ${address}: ${reason}`), '');
      }
      const [first] = addresses;
      if (!first) return callback(notFound(hostname), '');
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

/** dns.lookup reports an unknown host this way; an empty answer is the same thing. */
function notFound(hostname: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  error.code = 'ENOTFOUND';
  return error;
}
