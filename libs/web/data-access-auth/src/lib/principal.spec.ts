import { principalKey, principalOf } from './principal';

describe('principalOf', () => {
  it('should read the issuer and subject of a token', () => {
    expect(principalOf({ iss: 'https://idp.example', sub: 'alice' })).toEqual({
      issuer: 'https://idp.example',
      subject: 'alice',
    });
  });

  it.each([undefined, {}, { iss: 'https://idp.example' }, { iss: 'x', sub: 7 }, { iss: '', sub: 'a' }])(
    'should name no one for %p',
    (claims) => {
      expect(principalOf(claims)).toBeUndefined();
    },
  );
});

describe('principalKey', () => {
  it('should keep people of different issuers apart, even with the same subject', () => {
    const a = principalKey({ issuer: 'https://a.example', subject: 'u1' });
    const b = principalKey({ issuer: 'https://b.example', subject: 'u1' });
    expect(a).not.toBe(b);
  });

  it('should not be fooled by a separator inside a value', () => {
    expect(principalKey({ issuer: 'a', subject: 'b c' })).not.toBe(
      principalKey({ issuer: 'a b', subject: 'c' }),
    );
  });
});
