import type { Principal } from '@dropgate/shared/api-contract';
import { VerifiedTokenCache } from './verified-token-cache';

const alice: Principal = { issuer: 'https://idp', subject: 'alice', scopes: ['uploads:write'] };
const bob: Principal = { ...alice, subject: 'bob' };

describe('VerifiedTokenCache', () => {
  it('should return the principal of the identical token only', () => {
    const sut = new VerifiedTokenCache();
    sut.set('a.b.c', alice, 10_000);
    expect(sut.get('a.b.c', 5_000)).toBe(alice);
    expect(sut.get('a.b.d', 5_000)).toBeUndefined();
    expect(sut.get('a.b.c ', 5_000)).toBeUndefined();
  });

  it('should forget a token at its expiry', () => {
    const sut = new VerifiedTokenCache();
    sut.set('a.b.c', alice, 10_000);
    expect(sut.get('a.b.c', 9_999)).toBe(alice);
    expect(sut.get('a.b.c', 10_000)).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('should drop the oldest entry when full', () => {
    const sut = new VerifiedTokenCache(2);
    sut.set('first', alice, 10_000);
    sut.set('second', bob, 10_000);
    sut.set('third', bob, 10_000);
    expect([sut.get('first', 0), sut.get('second', 0), sut.get('third', 0)]).toEqual([undefined, bob, bob]);
  });

  it('should keep nothing when its size is zero', () => {
    const sut = new VerifiedTokenCache(0);
    sut.set('a.b.c', alice, 10_000);
    expect(sut.get('a.b.c', 0)).toBeUndefined();
  });
});
