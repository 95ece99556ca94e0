import type { Logger } from '@nestjs/common';
import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';

export interface KeySetTiming {
  /** Past this age the keys are fetched again, in the background; the held ones serve meanwhile. */
  maxAgeMs: number;
  /** The least time between two fetches, so unknown `kid`s cannot make the API hammer the provider. */
  cooldownMs: number;
  timeoutMs: number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The provider's key set, kept until a newer one has been fetched. jose's remote key set forgets
 * its keys once they reach their maximum age and the refetch fails, so a provider outage longer
 * than that age refused every token that had not been verified before it. Here the last good
 * keys stay in use through an outage, and a token with an unknown `kid` (a rotated key) still
 * makes the set be fetched again, at most once per cooldown.
 */
export class ProviderKeySet {
  private local?: LocalKeySet;
  private fetchedAt = 0;
  private attemptedAt = -Infinity;
  private pending?: Promise<LocalKeySet>;

  constructor(
    private readonly url: URL,
    private readonly timing: KeySetTiming,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    let local = this.local ?? (await this.reload());
    if (Date.now() - this.fetchedAt >= this.timing.maxAgeMs && this.cooledDown()) {
      // Failures are logged by fetchKeys; the held keys go on serving.
      this.reload().catch(() => undefined);
    }
    try {
      return await local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.cooledDown()) throw error;
      local = await this.reload();
      return local(header, token);
    }
  };

  private cooledDown(): boolean {
    return Date.now() - this.attemptedAt >= this.timing.cooldownMs;
  }

  /** One fetch at a time: the requests that arrive meanwhile wait for the same one. */
  private reload(): Promise<LocalKeySet> {
    this.pending ??= this.fetchKeys().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchKeys(): Promise<LocalKeySet> {
    this.attemptedAt = Date.now();
    try {
      const response = await fetch(this.url, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timing.timeoutMs),
      });
      if (response.status !== 200) throw new Error(`answered ${response.status}`);
      const local = createLocalJWKSet(await response.json());
      this.local = local;
      this.fetchedAt = Date.now();
      return local;
    } catch (error) {
      const reason = (error as Error).message;
      if (this.local) {
        this.logger.warn(
          `keys at ${this.url.href} not refreshed (${reason}); still using the ones fetched at ${new Date(this.fetchedAt).toISOString()}`,
        );
      }
      throw new Error(`keys at ${this.url.href} cannot be fetched: ${reason}`, { cause: error });
    }
  }
}
