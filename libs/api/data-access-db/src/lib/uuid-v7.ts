import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by creation
 * time, so "newest first" is an index scan and pages stay stable while uploads arrive.
 *
 * The random bits come from `randomUUID()` (a v4 UUID, from an entropy cache Node refills in
 * bulk: several times cheaper than `randomBytes` per id), whose time fields are replaced; its
 * variant is already 10. `random` (the 74 bits as 10 bytes) is for tests.
 */
export function uuidV7(nowMs = Date.now(), random?: Buffer): string {
  const time = nowMs.toString(16).padStart(12, '0');
  // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep "xxx-Vxxx-xxxxxxxxxxxx" after the version digit.
  const tail = random ? tailOf(random) : randomUUID().slice(15);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${tail}`;
}

/** The random part from 10 given bytes, laid out as `randomUUID().slice(15)` is. */
function tailOf(random: Buffer): string {
  const hex = random.toString('hex');
  const variant = (0x8 | (parseInt(hex[3], 16) & 0x3)).toString(16);
  return `${hex.slice(0, 3)}-${variant}${hex.slice(4, 7)}-${hex.slice(8, 20)}`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
