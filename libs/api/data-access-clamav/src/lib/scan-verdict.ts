import type { HeldReason } from '@dropgate/shared/api-contract';
import { ScannerUnavailableError } from './scanner-unavailable.error';

/** clamd's judgement; `held` is why bytes were not judged: neither clean nor known to be infected. */
export type ScanVerdict =
  | { kind: 'clean' }
  | { kind: 'infected'; signature: string }
  /** `detail` is clamd's own words, for the log. */
  | { kind: 'held'; reason: HeldReason; detail: string };

const FOUND = /^stream: (\S(?:.*\S)?) FOUND$/;
const HELD_BY_PREFIX: ReadonlyArray<[prefix: string, reason: HeldReason]> = [
  ['Heuristics.Encrypted.', 'encrypted'],
  ['Heuristics.Limits.Exceeded.', 'limits_exceeded'],
];

const preview = (reply: string) => JSON.stringify(reply.length > 120 ? `${reply.slice(0, 120)}…` : reply);

/**
 * Reads clamd's INSTREAM reply (without its NUL). Only an exact `stream: OK` is clean; clamd's
 * alerts about what it could not scan are held, not infected; anything else throws, since a
 * reply we do not understand must never let bytes through.
 */
export function parseScanReply(reply: string): ScanVerdict {
  if (reply === 'stream: OK') return { kind: 'clean' };
  const found = FOUND.exec(reply);
  if (found) {
    const signature = found[1];
    const held = HELD_BY_PREFIX.find(([prefix]) => signature.startsWith(prefix));
    return held ? { kind: 'held', reason: held[1], detail: signature } : { kind: 'infected', signature };
  }
  if (reply.startsWith('INSTREAM size limit exceeded')) {
    return { kind: 'held', reason: 'too_large_to_scan', detail: reply };
  }
  if (reply === '')
    throw new ScannerUnavailableError('empty_reply', 'clamd closed the connection without a verdict');
  if (/ ERROR$/.test(reply))
    throw new ScannerUnavailableError('scanner_error', `clamd failed: ${preview(reply)}`);
  throw new ScannerUnavailableError('garbled_reply', `clamd answered ${preview(reply)}, which is no verdict`);
}
