import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino, LoggerOptions } from 'pino';

/** Paths that would leak credentials or a usable policy into the log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amz-security-token"]',
  '*.fields.Policy',
  '*.fields["X-Amz-Signature"]',
  '*.fields["X-Amz-Credential"]',
  '*.fields["X-Amz-Security-Token"]',
  '*.Policy',
  '*["X-Amz-Signature"]',
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
