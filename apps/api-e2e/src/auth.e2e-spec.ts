import { request as httpRequest } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startApi, type RunningApi } from './support/api-process';
import { send } from './support/http';
import { TestIdp } from './support/idp';

// The API as a resource server, against real local identity providers: tokens come from the
// provider, or are signed with its own key where they are ones it would never issue.
const idp = new TestIdp('local-idp-auth-test', 7495);
const stranger = new TestIdp('local-idp-auth-stranger', 7496);
const body = { fileName: 'q3 report.pdf', contentType: 'application/pdf', size: 12345 };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('bearer tokens', () => {
  let api: RunningApi;
  const presign = (authorization?: string, path = '/api/uploads/presigned-post') =>
    send(api.baseUrl, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    idp.start();
    stranger.start();
    api = await startApi({
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: 'api://dropgate',
      OIDC_JWKS_COOLDOWN_SECONDS: '2',
      OIDC_CLIENT_ID: 'dropgate-web',
    });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    idp.reset();
    stranger.reset();
  });

  it('should accept a client-credentials token and sign under the principal segment', async () => {
    const response = await presign(`Bearer ${idp.token()}`);
    expect(response.status).toBe(201);
    expect(response.json<{ key: string }>().key).toMatch(
      /^uploads\/[a-z2-7]{26}\/\d{4}\/\d{2}\/\d{2}\/[\w-]{36}\/q3 report\.pdf$/,
    );
    // The request line names the readable subject (logs are written asynchronously).
    for (let i = 0; i < 20 && !api.output().includes('"subject":"dropgate-service"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(api.output()).toMatch(/"subject":"dropgate-service"/);
  });

  it("should accept a user's token from the sign-in flow, and keep users' keys apart", async () => {
    const bob = await presign(`Bearer ${idp.token('--user', 'bob')}`);
    const alice = await presign(`Bearer ${idp.token('--user', 'alice')}`);
    expect([bob.status, alice.status]).toEqual([201, 201]);
    const segment = (r: typeof bob) => r.json<{ key: string }>().key.split('/')[1];
    expect(segment(bob)).not.toBe(segment(alice));
  });

  it('should publish what a web app needs to sign in, without a token', async () => {
    const response = await send(api.baseUrl, '/api/auth/config');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      issuer: idp.issuer,
      clientId: 'dropgate-web',
      scopes: ['openid', 'profile', 'offline_access', 'uploads:write', 'uploads:read', 'webhooks:admin'],
      audience: 'api://dropgate',
    });
  });

  it('should keep public routes public', async () => {
    expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
    expect((await send(api.baseUrl, '/api/docs-json')).status).toBe(200);
  });

  it('should answer 401 auth.missing with a bare Bearer challenge when no token is sent', async () => {
    const response = await presign();
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="dropgate"');
    expect(response.json().errors[0].code).toBe('auth.missing');
  });

  it('should answer 403 with the scope needed to a token without uploads:write', async () => {
    const response = await presign(`Bearer ${idp.token('--scope', 'uploads:admin')}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="dropgate", error="insufficient_scope", scope="uploads:write"',
    );
    expect(response.json().errors[0].code).toBe('auth.insufficient_scope');
  });

  it('should refuse a token in the query string without reading it', async () => {
    const response = await presign(undefined, `/api/uploads/presigned-post?access_token=${idp.token()}`);
    expect(response.status).toBe(401);
    expect(response.json().errors[0].code).toBe('auth.invalid');
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => Promise<string>, string]>([
    ['from another provider', async () => stranger.token(), 'auth.invalid'],
    ['for another audience', () => idp.craft({ aud: 'api://elsewhere' }), 'auth.invalid'],
    [
      'from another issuer, signed with this key',
      () => idp.craft({ iss: 'http://127.0.0.1:9' }),
      'auth.invalid',
    ],
    ['expired 2 minutes ago', () => idp.craft({ iat: now() - 600, exp: now() - 120 }), 'auth.expired'],
    ['not valid for another 5 minutes', () => idp.craft({ nbf: now() + 300 }), 'auth.invalid'],
    ['with no expiry', () => idp.craft({ exp: undefined }), 'auth.invalid'],
    ['of another type (an ID token)', () => idp.craft({}, { typ: 'id_token+jwt' }), 'auth.invalid'],
    [
      'unsigned (alg none)',
      async () =>
        `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ iss: idp.issuer, aud: 'api://dropgate', sub: 'x', exp: now() + 300, scope: 'uploads:write' })}.`,
      'auth.invalid',
    ],
    [
      'HS256-signed with the provider public key as the secret',
      async () => {
        const { kty, n, e, kid } = idp.signingKey();
        return new SignJWT({ iss: idp.issuer, aud: 'api://dropgate', sub: 'x', scope: 'uploads:write' })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
          .setExpirationTime('5m')
          .sign(Buffer.from(JSON.stringify({ kty, n, e })));
      },
      'auth.invalid',
    ],
    [
      'signed by an unknown key with an unknown kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ iss: idp.issuer, aud: 'api://dropgate', sub: 'x', scope: 'uploads:write' })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'not-a-published-kid' })
          .setExpirationTime('5m')
          .sign(privateKey);
      },
      'auth.invalid',
    ],
    [
      'with a tampered payload',
      async () => {
        const [h, , s] = idp.token().split('.');
        return `${h}.${b64({ iss: idp.issuer, aud: 'api://dropgate', sub: 'admin', exp: now() + 300, scope: 'uploads:admin uploads:write' })}.${s}`;
      },
      'auth.invalid',
    ],
    ['that is not a JWT', async () => 'not-a-token', 'auth.invalid'],
    ['with no subject', () => idp.craft({ sub: undefined }), 'auth.invalid'],
    ['with an expiry that is not a number', () => idp.craft({ exp: 'tomorrow' as never }), 'auth.invalid'],
    [
      'for another issuer spelled with a trailing slash',
      () => idp.craft({ iss: `${idp.issuer}/` }),
      'auth.invalid',
    ],
    [
      'with an unknown critical header',
      async () => {
        const claims = {
          iss: idp.issuer,
          aud: 'api://dropgate',
          sub: 'x',
          exp: now() + 300,
          scope: 'uploads:write',
        };
        return idp.signRaw(
          { crit: ['urn:example:must-understand'], 'urn:example:must-understand': true },
          claims,
        );
      },
      'auth.invalid',
    ],
    [
      'signed by its own key, embedded in the header (jwk)',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
        return new SignJWT({ iss: idp.issuer, aud: 'api://dropgate', sub: 'x', scope: 'uploads:write' })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
          .setExpirationTime('5m')
          .sign(privateKey);
      },
      'auth.invalid',
    ],
    [
      'signed by another key under the provider’s kid, with a jku to fetch it from',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ iss: idp.issuer, aud: 'api://dropgate', sub: 'x', scope: 'uploads:write' })
          .setProtectedHeader({
            alg: 'RS256',
            typ: 'at+jwt',
            kid: idp.signingKey().kid,
            jku: 'http://127.0.0.1:9/jwks',
          })
          .setExpirationTime('5m')
          .sign(privateKey);
      },
      'auth.invalid',
    ],
    [
      'that is encrypted (a JWE) rather than signed',
      async () => `${b64({ alg: 'dir', enc: 'A256GCM' })}..${b64('iv')}.${b64('ciphertext')}.${b64('tag')}`,
      'auth.invalid',
    ],
  ])('should refuse a token %s with 401', async (_case, make, code) => {
    const token = await make();
    const response = await presign(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="dropgate", error="invalid_token"');
    expect(response.json().errors[0].code).toBe(code);
    expect(response.text).not.toContain(token.slice(0, 20));
  });

  it.each([
    ['Basic credentials', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
    ['an empty Bearer', 'Bearer '],
    ['two tokens', 'Bearer a.b.c Bearer d.e.f'],
  ])('should refuse %s as auth.invalid', async (_case, authorization) => {
    const response = await presign(authorization);
    expect(response.status).toBe(401);
    expect(response.json().errors[0].code).toBe('auth.invalid');
  });

  it('should accept a token whose typ is plain JWT and whose audience lists this API among others', async () => {
    const token = await idp.craft({ aud: ['api://other', 'api://dropgate'] }, { typ: 'JWT' });
    expect((await presign(`Bearer ${token}`)).status).toBe(201);
  });

  it('should refuse two Authorization headers, even when one is valid', async () => {
    const { status, type, body } = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        const request = httpRequest(`${api.baseUrl}/api/uploads/config`, {
          // A flat list sends each header as given (and without a Host unless listed).
          headers: [
            'host',
            new URL(api.baseUrl).host,
            'authorization',
            `Bearer ${idp.token()}`,
            'authorization',
            'Bearer a.b.c',
          ],
        });
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              type: response.headers['content-type'] ?? '',
              body: text,
            }),
          );
        });
        request.on('error', reject);
        request.end();
      },
    );
    expect({ status, type, body }).toEqual({
      status: 401,
      type: expect.stringMatching(/problem\+json/),
      body: expect.stringContaining('auth.invalid'),
    });
  });

  it('should refuse a token in the query string however it is encoded', async () => {
    const response = await send(api.baseUrl, `/api/uploads/config?%61ccess_token=${idp.token()}`, {
      headers: { authorization: `Bearer ${idp.token()}` },
    });
    expect(response.status).toBe(401);
  });

  it('should answer a 16 KB Authorization header with 431 or 401, never a 5xx', async () => {
    const response = await presign(`Bearer ${'a'.repeat(16 * 1024)}`);
    expect([401, 431]).toContain(response.status);
    // The server is still there for the next request.
    expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
  });

  it('should keep a subject of ../../x or a/b inside its own segment', async () => {
    for (const sub of ['../../x', 'a/b', '..']) {
      const response = await presign(`Bearer ${await idp.craft({ sub })}`);
      expect(response.status).toBe(201);
      expect(response.json<{ key: string }>().key).toMatch(/^uploads\/[a-z2-7]{26}\/\d{4}\/\d{2}\/\d{2}\//);
    }
  });

  it('should fetch the keys again once for an unknown kid within the cooldown, then refuse', async () => {
    const unknownKid = async (sub: string) => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT({ iss: idp.issuer, aud: 'api://dropgate', sub, scope: 'uploads:write' })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: `unknown-${sub}` })
        .setExpirationTime('5m')
        .sign(privateKey);
    };
    const tokens = await Promise.all(['a', 'b', 'c', 'd'].map(unknownKid));
    // Past the cooldown (2 s here) since any earlier fetch.
    await new Promise((r) => setTimeout(r, 2_100));
    const before = idp.jwksFetches();
    for (const token of tokens) {
      const response = await presign(`Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.json().errors[0].code).toBe('auth.invalid');
    }
    expect(idp.jwksFetches() - before).toBe(1);
  });

  it('should accept tokens signed with a rotated key without a restart', async () => {
    expect(idp.rotateKeys()).toMatch(/new signing key/);
    const token = idp.token();
    // The key set is fetched again for an unknown kid, at most once per cooldown (2 s here).
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 201; attempt++) {
      status = (await presign(`Bearer ${token}`)).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(status).toBe(201);
  }, 60_000);
});

describe('bearer tokens while the provider is unreachable', () => {
  const lonely = new TestIdp('local-idp-auth-lonely', 7489);

  it('should answer 503 auth.unavailable (to retry), not 401, and recover when it is back', async () => {
    lonely.start();
    const token = lonely.token();
    lonely.stop();
    const api = await startApi({ OIDC_ISSUER: lonely.issuer, OIDC_AUDIENCE: 'api://dropgate' });
    try {
      const call = () =>
        send(api.baseUrl, '/api/uploads/config', { headers: { authorization: `Bearer ${token}` } });
      const down = await call();
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.json().errors[0].code).toBe('auth.unavailable');
      expect(down.text).not.toContain(token.slice(0, 20));
      // No token at all is still a plain 401: the provider is not needed to say so.
      expect((await send(api.baseUrl, '/api/uploads/config')).status).toBe(401);
      lonely.start();
      expect((await call()).status).toBe(200);
    } finally {
      await api.stop();
      lonely.reset();
    }
  }, 90_000);
});
