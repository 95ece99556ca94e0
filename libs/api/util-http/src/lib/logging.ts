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

/** Where batched lines go: pino's stdout destination, or a fake in a test. */
export interface LineSink {
  write(text: string): unknown;
  flushSync(): void;
}

/**
 * The lines logged in one turn of the event loop, written together at its end. Under load many
 * requests end in the same turn, and each write to stdout (a trip to libuv's thread pool and a
 * system call) costs more than the line: one request line each took about a tenth of what a
 * create costs the API. A line waits no longer than the turn it was logged in; an abort (out of
 * memory, `process.abort()`) loses that turn's lines, where an exit writes them.
 */
export class TurnBatchedStream {
  private lines: string[] = [];
  /** Set once the process is exiting: no later turn will come to write a line. */
  private exiting = false;

  constructor(private readonly sink: LineSink) {}

  write(line: string): boolean {
    if (this.exiting) {
      this.sink.write(line);
      this.sink.flushSync();
    } else if (this.lines.push(line) === 1) {
      setImmediate(this.endOfTurn);
    }
    return true;
  }

  /** Hands what is pending to the sink now; `done` (pino's `logger.flush(cb)`) is then called. */
  flush(done?: (error?: Error) => void): void {
    this.endOfTurn();
    done?.();
  }

  /** Writes everything pending before returning, and every later line at once: for the exit. */
  flushSync(): void {
    this.exiting = true;
    this.endOfTurn();
    this.sink.flushSync();
  }

  private readonly endOfTurn = (): void => {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.sink.write(text);
  };
}

/**
 * The JSON logger. It writes to stdout asynchronously: the lines of one turn of the event loop go
 * out in one write, and lines logged while a write is in flight go out together in the next one.
 * What is still pending is written when the process exits. `sink` is for tests.
 */
export function createLogger(
  level: string,
  sink: LineSink = pino.destination({ dest: 1, sync: false }),
): Pino {
  const stream = new TurnBatchedStream(sink);
  process.once('exit', () => stream.flushSync());
  return pino(loggerOptions(level), stream);
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
