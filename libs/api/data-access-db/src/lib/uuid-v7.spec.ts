import { UUID, uuidV7 } from './uuid-v7';

describe('uuidV7', () => {
  it('should put the milliseconds first, then version 7 and variant 10', () => {
    const sut = uuidV7(0x0190_1234_5678, Buffer.alloc(10, 0xff));
    expect(sut).toBe('01901234-5678-7fff-bfff-ffffffffffff');
    expect(sut).toMatch(UUID);
  });

  it('should sort by creation time as text', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) => uuidV7(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('should carry version 7 and variant 10 with its own random bits', () => {
    for (let i = 0; i < 100; i++)
      expect(uuidV7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should differ within one millisecond', () => {
    expect(uuidV7(1)).not.toBe(uuidV7(1));
  });
});
