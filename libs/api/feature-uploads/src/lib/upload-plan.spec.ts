import { DEFAULT_MULTIPART_THRESHOLD } from '@dropgate/shared/util-parts';
import { planUpload } from './upload-plan';

const MiB = 1024 ** 2;
const threshold = DEFAULT_MULTIPART_THRESHOLD;

describe('planUpload', () => {
  it.each([
    ['at the threshold, by size', threshold, undefined, { method: 'post' }],
    [
      'a byte over the threshold, by size',
      threshold + 1,
      undefined,
      { method: 'multipart', partSize: 8 * MiB, partCount: 9 },
    ],
    [
      'a small file asked as multipart',
      10,
      'multipart',
      { method: 'multipart', partSize: 8 * MiB, partCount: 1 },
    ],
    ['a large file asked as one POST', 100 * MiB, 'post', { method: 'post' }],
  ] as const)('should plan %s', (_case, size, method, expected) => {
    expect(planUpload(size, method, threshold)).toEqual(expected);
  });
});
