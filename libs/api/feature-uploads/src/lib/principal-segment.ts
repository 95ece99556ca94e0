import { createHash } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The key segment of a principal: 26 base32 characters (130 bits) of SHA-256 over issuer and
 * subject. Only `a-z` and `2-7`, whatever the subject holds (`/`, `..`, Unicode), so it can never
 * leave its place in a key or need encoding; two issuers' subjects never share one.
 */
export function principalSegment(issuer: string, subject: string): string {
  const name = `${issuer}\n${subject}`;
  let segment = segments.get(name);
  if (segment === undefined) {
    if (segments.size >= SEGMENTS_KEPT) segments.clear();
    segment = segmentOf(name);
    segments.set(name, segment);
  }
  return segment;
}

/** Segments already worked out: the same few principals make most requests (a hash each otherwise). */
const segments = new Map<string, string>();
const SEGMENTS_KEPT = 10_000;

function segmentOf(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
