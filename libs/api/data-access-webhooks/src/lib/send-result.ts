import { WebhookBlockedError } from './guarded-lookup';

/** Why an attempt got no response, in a few words for the delivery log. */
export type SendFailure =
  | 'timeout'
  | 'connect timeout'
  | 'connection refused'
  | 'reset'
  | 'host not found'
  | 'unreachable'
  | 'certificate rejected'
  | 'tls error'
  | 'aborted'
  | 'network error';

/**
 * What became of one delivery attempt. `response` is any HTTP answer, 3xx included (redirects are
 * never followed); `blocked` means nothing was sent because the target is not allowed; `failed`
 * means the network gave no answer.
 */
export type SendResult =
  | {
      outcome: 'response';
      status: number;
      durationMs: number;
      /** The start of the body, at most 1 KiB, decoded as UTF-8 without a cut character. */
      body: string;
      retryAfterSeconds?: number;
    }
  | { outcome: 'blocked'; reason: string; durationMs: number }
  | { outcome: 'failed'; error: SendFailure; durationMs: number };

const FAILURES = new Map<string, SendFailure>([
  ['UND_ERR_CONNECT_TIMEOUT', 'connect timeout'],
  ['ETIMEDOUT', 'connect timeout'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'reset'],
  ['EPIPE', 'reset'],
  ['UND_ERR_SOCKET', 'reset'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'host not found'],
  ['EAI_NODATA', 'host not found'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['EPROTO', 'tls error'],
]);

/** The blocking error somewhere in an error's chain, if the lookup refused the target. */
export function blockedBy(error: unknown): WebhookBlockedError | undefined {
  return causes(error).find((e): e is WebhookBlockedError => e instanceof WebhookBlockedError);
}

/** Names a network error for the delivery log; `callerSignal` tells a cancel from a deadline. */
export function failureOf(error: unknown, callerSignal?: AbortSignal): SendFailure {
  if (callerSignal?.aborted) return 'aborted';
  for (const e of causes(error)) {
    if (nameOf(e) === 'TimeoutError') return 'timeout';
    const code = codeOf(e);
    if (code === undefined) continue;
    const known = FAILURES.get(code);
    if (known) return known;
    if (/^(CERT_|ERR_TLS_CERT|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY))/.test(code))
      return 'certificate rejected';
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return 'tls error';
  }
  return 'network error';
}

/**
 * The error, its causes, and the errors an AggregateError gathered (one per address tried). Read by
 * shape, not `instanceof`: errors from node:net and AbortSignal may come from another realm.
 */
function causes(error: unknown, depth = 0): unknown[] {
  if (typeof error !== 'object' || error === null || depth > 5) return [error];
  const nested = 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
  const cause = 'cause' in error ? [error.cause] : [];
  return [error, ...[...cause, ...nested].filter(Boolean).flatMap((e) => causes(e, depth + 1))];
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('name' in error)) return undefined;
  return typeof error.name === 'string' ? error.name : undefined;
}
