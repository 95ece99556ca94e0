import { LocalServiceError } from './errors.mjs';

/**
 * Reads a tool's options: a flag, else the variable `<PREFIX>_<FLAG>` (`--mon-port` reads
 * LOCAL_S3_MON_PORT), else the default.
 */
export function optionReader(flags, env, prefix) {
  return (flag, fallback) =>
    flags[flag] ?? env[`${prefix}_${flag.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

/** A port for 127.0.0.1, from 1024 up; a bad one names its flag. */
export function parsePort(value, flag) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new LocalServiceError(`${flag} must be a whole number from 1024 to 65535 (got "${value}")`, 2);
  }
  return port;
}
