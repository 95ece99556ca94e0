// The development users and clients of the local identity provider. Sign-in is a choice of user
// on a form, with no password: this provider is for development and tests, never for production.

/** The API's audience: the resource indicator its access tokens are issued for. */
export const API_AUDIENCE = 'api://dropgate';

export const API_SCOPES = ['uploads:write', 'uploads:read', 'uploads:admin', 'webhooks:admin'];

export const USERS = {
  alice: { name: 'Alice Example', scopes: ['uploads:write', 'uploads:read'] },
  bob: { name: 'Bob Example', scopes: ['uploads:write', 'uploads:read'] },
  admin: { name: 'Ada Admin', scopes: ['uploads:write', 'uploads:read', 'uploads:admin', 'webhooks:admin'] },
};

export const WEB_CLIENT_ID = 'dropgate-web';
export const SERVICE_CLIENT_ID = 'dropgate-service';
export const SERVICE_SCOPES = ['uploads:write', 'uploads:admin', 'webhooks:admin'];
export const WEB_REDIRECT_URIS = ['http://localhost:3000', 'http://localhost:4200'];
