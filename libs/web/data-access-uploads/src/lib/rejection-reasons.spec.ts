import type { RejectionReason } from '@dropgate/shared/api-contract';
import { rejectionText } from './rejection-reasons';

describe('rejectionText', () => {
  it.each<[RejectionReason, string]>([
    ['size_mismatch', 'Its size did not match the size declared'],
    ['content_type_mismatch', 'Its contents are not of the type declared'],
    ['md5_mismatch', 'Its bytes did not match the declared MD5'],
  ])('should put %s in words', (reason, text) => {
    expect(rejectionText(reason)).toBe(text);
  });

  it.each([undefined, 'constructor', '__proto__', 'toString', 'something_new'])(
    'should give a sentence, not an inherited member, for %s',
    (reason) => {
      expect(rejectionText(reason)).toBe('It did not match what was declared');
    },
  );
});
