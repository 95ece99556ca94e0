/** Where idempotency keys are kept (PostgreSQL: data-access-db's IdempotencyKeysRepository). */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export interface KeyedRequest {
  owner: { issuer: string; subject: string };
  key: string;
  /** Of the method, route, parameters and body. */
  fingerprint: string;
}

/** A successful first response, as it is replayed. */
export interface KeptResponse {
  status: number;
  body: string;
}

export type KeyOutcome<T> =
  | { kind: 'fresh'; result: T }
  | { kind: 'replay'; response: KeptResponse }
  | { kind: 'key_reused' }
  | { kind: 'in_flight' };

/**
 * How a route's work is tied to its key: `atomic` runs it inside the transaction that stores the
 * key; `leased` holds the key while the work runs on its own (for work that is safe to run again).
 */
export type IdempotencyMode = 'atomic' | 'leased';

export interface IdempotencyStore {
  atomically<T>(
    request: KeyedRequest,
    work: () => Promise<T>,
    keep: (result: T) => KeptResponse,
  ): Promise<KeyOutcome<T>>;
  leased<T>(
    request: KeyedRequest,
    work: () => Promise<T>,
    keep: (result: T) => KeptResponse,
  ): Promise<KeyOutcome<T>>;
}
