import { resolve } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { optionReader, parsePort } from '../local-service/options.mjs';

/** ClamAV's own cap: it will not vouch for a file of 2 GiB or more. */
export const MAX_SCAN_BYTES = 2 ** 31 - 1;

export const DEFAULTS = Object.freeze({ dir: '.local-clamav', port: 7510, maxBytes: 2 ** 30 });

/** Options from flags, then LOCAL_CLAMAV_* variables, then defaults; every value checked up front. */
export function resolveOptions(flags, env = process.env) {
  const pick = optionReader(flags, env, 'LOCAL_CLAMAV');
  const given = pick('max-bytes', DEFAULTS.maxBytes);
  const maxBytes = Number(given);
  if (!/^\d+$/.test(String(given).trim()) || maxBytes < 1 || maxBytes > MAX_SCAN_BYTES) {
    throw new LocalServiceError(
      `--max-bytes must be a whole number of bytes from 1 to ${MAX_SCAN_BYTES} (got "${given}")`,
      2,
    );
  }
  return {
    dir: resolve(pick('dir', DEFAULTS.dir)),
    port: parsePort(pick('port', DEFAULTS.port), '--port'),
    maxBytes,
  };
}
