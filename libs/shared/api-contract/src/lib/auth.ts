/** The scopes Dropgate's access tokens carry. */
export type UploadScope = 'uploads:write' | 'uploads:read' | 'uploads:admin' | 'webhooks:admin';

/** Who made a request, from a verified access token. For client credentials the subject is the client. */
export interface Principal {
  issuer: string;
  subject: string;
  clientId?: string;
  name?: string;
  scopes: string[];
}

/** `GET /api/auth/config`: what a web app needs to sign in against this API's provider. */
export interface AuthConfig {
  issuer: string;
  clientId: string;
  scopes: string[];
  audience: string;
}
