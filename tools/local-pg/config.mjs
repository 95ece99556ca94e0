import { resolve } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { optionReader, parsePort } from '../local-service/options.mjs';

export const DEFAULTS = Object.freeze({ dir: '.local-pg', port: 7432, fsync: 'on' });

/** The role and database the API uses. */
export const DATABASE = 'dropgate';

/** Options from flags, then LOCAL_PG_* variables, then defaults; every value checked up front. */
export function resolveOptions(flags, env = process.env) {
  const pick = optionReader(flags, env, 'LOCAL_PG');
  const fsync = String(pick('fsync', DEFAULTS.fsync));
  if (fsync !== 'on' && fsync !== 'off') {
    throw new LocalServiceError(`--fsync must be on or off (got "${fsync}")`, 2);
  }
  return {
    dir: resolve(pick('dir', DEFAULTS.dir)),
    port: parsePort(pick('port', DEFAULTS.port), '--port'),
    fsync,
  };
}
