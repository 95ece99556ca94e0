import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'kysely';
import type { Database } from './database';

const current = new AsyncLocalStorage<Transaction<Database>>();

/**
 * Runs `work` so that the repositories that take part (UploadsRepository.insert) write inside
 * `trx`: what an idempotency key records commits or rolls back with the work it stands for.
 */
export function withinTransaction<T>(trx: Transaction<Database>, work: () => Promise<T>): Promise<T> {
  return current.run(trx, work);
}

/** The transaction a caller asked this work to run in, if any. */
export function ambientTransaction(): Transaction<Database> | undefined {
  return current.getStore();
}
