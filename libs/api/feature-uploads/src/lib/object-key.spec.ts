import { buildObjectKey } from './object-key';

describe('buildObjectKey', () => {
  const uuid = '0b6c2f9e-5d7a-4f43-9a51-3c1d2e8f7a10';

  const segment = 'abcdefghijklmnopqrstuvwxyz';

  it.each([
    ['uploads/', '2026-11-24T23:59:59.999Z', `uploads/${segment}/2026/11/24/`],
    ['', '2026-01-05T00:00:00.000Z', `${segment}/2026/01/05/`],
    ['tenant-a/inbox/', '2026-02-28T12:00:00.000Z', `tenant-a/inbox/${segment}/2026/02/28/`],
  ])('should date a key under prefix %j and the segment in UTC (%s)', (prefix, iso, expectedStart) => {
    const sut = buildObjectKey(prefix, segment, new Date(iso), uuid, 'a.pdf');
    expect(sut).toBe(`${expectedStart}${uuid}/a.pdf`);
  });
});
