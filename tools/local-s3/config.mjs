import { resolve } from 'node:path';

/** Reasons the tool stops with a one-line message and a non-zero exit code. */
export class LocalS3Error extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

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
  const pick = (flag, variable, fallback) => flags[flag] ?? env[variable] ?? fallback;
  const options = {
    dir: resolve(pick('dir', 'LOCAL_S3_DIR', DEFAULTS.dir)),
    port: parsePort(pick('port', 'LOCAL_S3_PORT', DEFAULTS.port), '--port'),
    monPort: parsePort(pick('mon-port', 'LOCAL_S3_MON_PORT', DEFAULTS.monPort), '--mon-port'),
    store: pick('store', 'LOCAL_S3_STORE', DEFAULTS.store),
    bucket: pick('bucket', 'LOCAL_S3_BUCKET', DEFAULTS.bucket),
    corsOrigins: String(pick('cors-origins', 'LOCAL_S3_CORS_ORIGINS', DEFAULTS.corsOrigins))
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
  if (!STORES.includes(options.store)) {
    throw new LocalS3Error(`--store must be one of ${STORES.join(', ')} (got "${options.store}")`, 2);
  }
  if (options.port === options.monPort) {
    throw new LocalS3Error('--port and --mon-port must differ', 2);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
    throw new LocalS3Error(`--bucket "${options.bucket}" is not a valid S3 bucket name`, 2);
  }
  return options;
}

function parsePort(value, name) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new LocalS3Error(`${name} must be a whole number from 1024 to 65535 (got "${value}")`, 2);
  }
  return port;
}

export function endpointOf(options) {
  return `http://127.0.0.1:${options.port}`;
}
