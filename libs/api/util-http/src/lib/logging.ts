import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino, type LoggerOptions } from 'pino';

/**
 * Paths that would leak credentials or a usable policy into the log: request headers, and a
 * presigned POST's fields wherever a log call might put one. Fixed paths, not `*.` wildcards,
 * which pino would have to try against every key of every line.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amz-security-token"]',
  ...['fields', 'post.fields', 'result.fields', 'body.fields'].flatMap((at) => [
    `${at}.Policy`,
    `${at}["X-Amz-Signature"]`,
    `${at}["X-Amz-Credential"]`,
    `${at}["X-Amz-Security-Token"]`,
  ]),
];

/** JSON logs, one line per event, with request ids and secrets redacted. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'dropgate-api' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * The JSON logger. It writes to stdout asynchronously: lines logged while a write is in flight
 * go out together in the next one, instead of one blocking write per line. What is still
 * buffered is flushed when the process exits.
 */
export function createLogger(level: string): Pino {
  const destination = pino.destination({ dest: 1, sync: false });
  process.once('exit', () => destination.flushSync());
  return pino(loggerOptions(level), destination);
}

/** Nest's own messages (boot, routes, errors) through the same JSON logger as requests. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pick<Pino, 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal'>) {}

  log(message: unknown, context?: string) {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.pino.fatal({ context }, String(message));
  }
}
