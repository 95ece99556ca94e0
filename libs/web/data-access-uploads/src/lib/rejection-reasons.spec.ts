import type { HeldReason, RejectionReason } from '@dropgate/shared/api-contract';
import { heldText, rejectionText } from './rejection-reasons';

describe('rejectionText', () => {
  it.each<[RejectionReason, string]>([
    ['size_mismatch', 'Its size did not match the size declared'],
    ['content_type_mismatch', 'Its contents are not of the type declared'],
    ['md5_mismatch', 'Its bytes did not match the declared MD5'],
    ['changed_after_verification', 'The file changed after it was checked; upload it again'],
  ])('should put %s in words', (reason, text) => {
    expect(rejectionText(reason)).toBe(text);
  });

  it.each([undefined, 'constructor', '__proto__', 'toString', 'something_new', 'encrypted'])(
    'should give a sentence, not an inherited member, for %s',
    (reason) => {
      expect(rejectionText(reason)).toBe('It did not match what was declared');
    },
  );
});

describe('heldText', () => {
  it.each<[HeldReason, string]>([
    ['too_large_to_scan', 'too large to scan'],
    ['encrypted', 'encrypted file'],
    ['limits_exceeded', "beyond the scanner's limits"],
  ])('should put %s in words', (reason, text) => {
    expect(heldText(reason)).toBe(text);
  });

  it.each([undefined, 'constructor', '__proto__', 'md5_mismatch'])(
    'should give words, not an inherited member, for %s',
    (reason) => {
      expect(heldText(reason)).toBe('not scanned');
    },
  );
});
