import { toOpenIdConfiguration } from './oidc-configuration';

describe('toOpenIdConfiguration', () => {
  const config = {
    issuer: 'https://login.example.com/tenant/v2.0',
    clientId: 'dropgate-web',
    scopes: ['openid', 'profile', 'offline_access', 'uploads:write'],
    audience: 'api://dropgate',
  };

  it('should sign in with the code flow (PKCE) against the API’s issuer and client', () => {
    const sut = toOpenIdConfiguration(config, 'https://portal.example.com');
    expect(sut).toEqual(
      expect.objectContaining({
        authority: 'https://login.example.com/tenant/v2.0',
        clientId: 'dropgate-web',
        responseType: 'code',
        scope: 'openid profile offline_access uploads:write',
      }),
    );
    expect(sut.disablePkce).not.toBe(true);
  });

  it('should come back to the page’s own origin after sign-in and sign-out', () => {
    const sut = toOpenIdConfiguration(config, 'http://localhost:4200');
    expect([sut.redirectUrl, sut.postLogoutRedirectUri]).toEqual([
      'http://localhost:4200',
      'http://localhost:4200',
    ]);
  });

  it('should renew with refresh tokens, not hidden iframes', () => {
    const sut = toOpenIdConfiguration(config, 'http://localhost:4200');
    expect([sut.silentRenew, sut.useRefreshToken]).toEqual([true, true]);
  });
});
