import { resolve } from 'node:path';
import { optionReader, parsePort } from '../local-service/options.mjs';

export const DEFAULTS = Object.freeze({ dir: '.local-redis', port: 7520 });

/** Options from flags (or overrides), then LOCAL_REDIS_* variables, then defaults; checked up front. */
export function resolveOptions(flags = {}, env = process.env) {
  const pick = optionReader(flags, env, 'LOCAL_REDIS');
  return {
    dir: resolve(pick('dir', DEFAULTS.dir)),
    port: parsePort(pick('port', DEFAULTS.port), '--port'),
  };
}
