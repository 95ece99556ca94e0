import { resolve } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { optionReader, parsePort } from '../local-service/options.mjs';

export const DEFAULTS = Object.freeze({
  dir: '.local-s3',
  port: 7480,
  monPort: 3300,
  store: 'bluestore',
  bucket: 'dropgate-local',
  corsOrigins: 'http://localhost:3000,http://localhost:4200',
});

const STORES = ['bluestore', 'memstore'];

/**
 * Builds the tool's options from flags, falling back to LOCAL_S3_* variables and then defaults.
 * Every value is checked here so that a bad one fails before anything is started.
 */
export function resolveOptions(flags, env = process.env) {
  const pick = optionReader(flags, env, 'LOCAL_S3');
  const options = {
    dir: resolve(pick('dir', DEFAULTS.dir)),
    port: parsePort(pick('port', DEFAULTS.port), '--port'),
    monPort: parsePort(pick('mon-port', DEFAULTS.monPort), '--mon-port'),
    store: pick('store', DEFAULTS.store),
    bucket: pick('bucket', DEFAULTS.bucket),
    corsOrigins: String(pick('cors-origins', DEFAULTS.corsOrigins))
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
  if (!STORES.includes(options.store)) {
    throw new LocalServiceError(`--store must be one of ${STORES.join(', ')} (got "${options.store}")`, 2);
  }
  if (options.port === options.monPort) {
    throw new LocalServiceError('--port and --mon-port must differ', 2);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
    throw new LocalServiceError(`--bucket "${options.bucket}" is not a valid S3 bucket name`, 2);
  }
  return options;
}

export function endpointOf(options) {
  return `http://127.0.0.1:${options.port}`;
}
