import { createHash } from 'node:crypto';
import type { Principal } from '@dropgate/shared/api-contract';

/**
 * Principals of access tokens that passed every check, until the token's own `exp`. A client
 * sends one token with many requests; verifying its RSA signature each time costs about 100 µs,
 * a lookup by its SHA-256 about 1 µs. Only an identical token hits, and never past its expiry.
 * Bounded: the oldest entry goes first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, nowMs = Date.now()): Principal | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.maxEntries < 1) return;
    while (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(digest(token), { principal, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64');
