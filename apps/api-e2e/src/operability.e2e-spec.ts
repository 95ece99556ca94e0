import { bearer, presign, send } from './support/http';
import { runApiExpectingFailure, startApi, type RunningApi } from './support/api-process';
import { gatewayEnv, identityEnv } from './support/gateway';

describe('operability', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({
      RATE_LIMIT_MAX: '10',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      CORS_ORIGINS: 'https://portal.example.com',
      // A service-only deployment: no web app signs in against this API.
      OIDC_CLIENT_ID: '',
    });
  });
  afterAll(() => api.stop());

  it('should publish the rules it signs by', async () => {
    const response = await send(api.baseUrl, '/api/uploads/config', { headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      maxFileSize: 100 * 1024 * 1024,
      multipartThreshold: 64 * 1024 * 1024,
      allowedTypes: expect.arrayContaining(['image/*', 'application/pdf']),
      expiresInSeconds: 300,
    });
  });

  it('should answer 404 auth.not_configured for the sign-in configuration without a web client', async () => {
    const response = await send(api.baseUrl, '/api/auth/config');
    expect(response.status).toBe(404);
    expect(response.json().errors[0]).toMatchObject({
      code: 'auth.not_configured',
      message: 'OIDC_CLIENT_ID is not set: this API has no web app that signs in',
    });
  });

  it('should forbid caching a presigned POST and echo the request id', async () => {
    const response = await send(api.baseUrl, '/api/uploads/presigned-post', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-abc-123', ...bearer() },
      body: JSON.stringify({ fileName: 'a.pdf', contentType: 'application/pdf', size: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("should send helmet's headers on pages and the OWASP API set on JSON", async () => {
    const page = await send(api.baseUrl, '/api/docs');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(
      `connect-src 'self' ${new URL(gatewayEnv.S3_ENDPOINT).origin} ${identityEnv.OIDC_ISSUER}`,
    );
    // A pop-up that signs in again hands its result back to this page.
    expect(page.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
    expect(page.headers.get('x-dns-prefetch-control')).toBe('off');
    const json = await send(api.baseUrl, '/api/uploads/config', { headers: bearer() });
    expect(json.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(json.headers.get('x-frame-options')).toBe('DENY');
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('should log requests as JSON lines without signatures or policies', async () => {
    const post = await presign(api.baseUrl, { fileName: 'b.pdf', contentType: 'application/pdf', size: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    const requestLines = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines[0]).toEqual(
      expect.objectContaining({ requestId: expect.any(String), status: expect.any(Number) }),
    );
    expect(api.output()).not.toContain(post.fields['X-Amz-Signature']);
    expect(api.output()).not.toContain(post.fields['Policy']);
  });

  it('should log paths, never a query string: no token, signature or credential reaches the log', async () => {
    const secrets = ['eyJhbGciOiJSUzI1NiJ9.leaked-token', 'leaked-signature-0123456789abcdef', 'AKIALEAKED'];
    const refused = await send(
      api.baseUrl,
      `/api/uploads?access_token=${secrets[0]}&X-Amz-Signature=${secrets[1]}&X-Amz-Credential=${secrets[2]}`,
    );
    expect(refused.status).toBe(401);
    const ok = await send(api.baseUrl, `/api/uploads/config?${secrets[0]}`, { headers: bearer() });
    expect(ok.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const secret of secrets) expect(api.output()).not.toContain(secret);
    const paths = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request')
      .map((entry) => entry.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/uploads', '/api/uploads/config']));
  });

  describe('CORS', () => {
    const portal = 'https://portal.example.com';
    const list = (header: string | null) => (header ?? '').toLowerCase().split(/\s*,\s*/);
    const preflight = (origin: string, method: string, headers: string) =>
      send(api.baseUrl, '/api/uploads/0190a000-0000-7000-8000-000000000000', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          'access-control-request-headers': headers,
        },
      });

    // Every method a documented route answers (read from the OpenAPI document, so a new route
    // with a new method fails here), with every header a client sends.
    it('should allow a preflight of every method the routes answer, from the configured origin', async () => {
      const paths = (await send(api.baseUrl, '/api/docs-json')).json<{ paths: Record<string, object> }>()
        .paths;
      const methods = new Set(
        Object.values(paths).flatMap((operations) => Object.keys(operations).map((m) => m.toUpperCase())),
      );
      expect([...methods]).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
      for (const method of methods) {
        const response = await preflight(
          portal,
          method,
          'authorization,content-type,x-request-id,idempotency-key',
        );
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(portal);
        expect(list(response.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
        const allowed = list(response.headers.get('access-control-allow-headers'));
        expect(allowed).toEqual(
          expect.arrayContaining(['authorization', 'content-type', 'x-request-id', 'idempotency-key']),
        );
      }
    });

    it('should let a cross-origin client read the request id, Retry-After and Idempotent-Replayed', async () => {
      const response = await send(api.baseUrl, '/api/uploads/config', {
        headers: { origin: portal, ...bearer() },
      });
      expect(response.headers.get('access-control-allow-origin')).toBe(portal);
      expect(list(response.headers.get('access-control-expose-headers'))).toEqual([
        'x-request-id',
        'retry-after',
        'idempotent-replayed',
      ]);
    });

    it('should allow no other origin', async () => {
      const response = await preflight('https://evil.example.net', 'DELETE', 'authorization');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('should report live and ready while the bucket answers', async () => {
    expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
    const ready = await send(api.baseUrl, '/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json<{ status: string }>().status).toBe('ok');
  });

  it("should serve Swagger UI: its page, its start-up script and swagger-ui-dist's files", async () => {
    const page = await send(api.baseUrl, '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map(([, src]) => src);
    expect(scripts).toEqual([
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui-standalone-preset.js',
      '/api/docs/swagger-ui-init.js',
    ]);
    for (const src of scripts) {
      const script = await send(api.baseUrl, src);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
    }
    expect((await send(api.baseUrl, '/api/docs/swagger-ui-init.js')).text).toContain(
      '"url":"/api/docs-json"',
    );
    expect((await send(api.baseUrl, '/api/docs/swagger-ui.css')).status).toBe(200);
    expect((await send(api.baseUrl, '/api/docs/no-such-file.js')).status).toBe(404);
  });

  it('should serve OpenAPI with the error responses and the bearer scheme documented', async () => {
    const document = (await send(api.baseUrl, '/api/docs-json')).json<{
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, unknown>; security?: unknown[]; 'x-required-scopes'?: string[] }
        >
      >;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    }>();
    const operation = document.paths['/api/uploads/presigned-post'].post;
    expect(Object.keys(operation.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(operation['x-required-scopes']).toEqual(['uploads:write']);
    expect(document.paths['/api/uploads/config'].get['x-required-scopes']).toEqual(['uploads:write']);
    expect(document.paths['/api/health'].get.security).toBeUndefined();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/uploads/config', '/api/health', '/api/health/ready']),
    );
  });

  // Last in this file: it spends the rate limit.
  it('should answer 429 with Retry-After once the rate limit is reached', async () => {
    const config = () => send(api.baseUrl, '/api/uploads/config', { headers: bearer() });
    let last = await config();
    for (let i = 0; i < 20 && last.status !== 429; i++) last = await config();
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.json().errors[0].code).toBe('rate.limited');
  });
});

describe('readiness without storage', () => {
  it('should answer 503 with a reason when the bucket cannot be reached', async () => {
    const api = await startApi({ S3_ENDPOINT: 'http://127.0.0.1:9', S3_BUCKET: 'dropgate-test' });
    try {
      expect((await send(api.baseUrl, '/api/health')).status).toBe(200);
      const ready = await send(api.baseUrl, '/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json().errors[0].code).toBe('storage.unavailable');
      // The public answer names the dependency, never the bucket, hosts or users behind it.
      expect(ready.json().detail).toBe('Not ready: storage');
      expect(ready.text).not.toContain('dropgate-test');
    } finally {
      await api.stop();
    }
  });

  it('should fail readiness while draining on SIGTERM', async () => {
    const api = await startApi({ SHUTDOWN_DRAIN_SECONDS: '3' });
    const stopped = api.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ready = await send(api.baseUrl, '/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.json().errors[0].code).toBe('server.draining');
    await stopped;
  });

  it('should exit with 0 once shut down on SIGTERM, not die of the signal, its log written', async () => {
    const api = await startApi({ SHUTDOWN_DRAIN_SECONDS: '1' });
    const health = await send(api.baseUrl, '/api/health');
    // An exit, unlike a death by the signal, runs the handler that writes what is still pending.
    expect(await api.stop()).toEqual({ code: 0, signal: null });
    expect(health.status).toBe(200);
    const messages = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'request', path: '/api/health', status: 200 }),
        expect.objectContaining({ context: 'Shutdown', msg: 'SIGTERM: draining for 1 s before closing' }),
      ]),
    );
  });
});

describe('configuration checked at boot', () => {
  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['a missing bucket', { S3_BUCKET: undefined }, /^Invalid configuration: S3_BUCKET is required/m],
    [
      'a max size above 5 TiB',
      { UPLOAD_MAX_FILE_SIZE: '5497558138881' },
      /^Invalid configuration: UPLOAD_MAX_FILE_SIZE must be at most 5497558138880 \(5 TiB/m,
    ],
    [
      'a multipart threshold above 5 GiB',
      { UPLOAD_MULTIPART_THRESHOLD: '6000000000' },
      /^Invalid configuration: UPLOAD_MULTIPART_THRESHOLD must be at most 5368709120 \(5 GiB/m,
    ],
    [
      'part URLs living more than an hour',
      { UPLOAD_PART_URL_EXPIRES_SECONDS: '7200' },
      /^Invalid configuration: UPLOAD_PART_URL_EXPIRES_SECONDS must be at most 3600/m,
    ],
    [
      'a non-numeric expiry',
      { UPLOAD_POST_EXPIRES_SECONDS: 'soon' },
      /^Invalid configuration: UPLOAD_POST_EXPIRES_SECONDS must be a whole number of seconds \(got "soon"\)/m,
    ],
    [
      'a bad allowlist',
      { UPLOAD_ALLOWED_TYPES: 'pdf' },
      /^Invalid configuration: UPLOAD_ALLOWED_TYPES must be a comma-separated list/m,
    ],
    [
      'a bad endpoint',
      { S3_ENDPOINT: 'not a url' },
      /^Invalid configuration: S3_ENDPOINT must be an http\(s\) URL/m,
    ],
    ['a bad port', { PORT: 'eighty' }, /^Invalid configuration: PORT must be a port number/m],
    [
      'no identity provider',
      { OIDC_ISSUER: undefined },
      /^Invalid configuration: OIDC_ISSUER is required: the issuer URL of the OpenID provider/m,
    ],
    [
      'an issuer without an audience',
      { OIDC_AUDIENCE: undefined },
      /^Invalid configuration: OIDC_AUDIENCE is required with OIDC_ISSUER/m,
    ],
    [
      'an HMAC algorithm',
      { OIDC_ALGORITHMS: 'RS256,HS256' },
      /^Invalid configuration: OIDC_ALGORITHMS must be a comma-separated list of RS256/m,
    ],
  ])('should refuse to start with %s, naming the variable', async (_case, env, message) => {
    const result = await runApiExpectingFailure(env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
    expect(result.output).not.toMatch(/\n\s+at /);
  });
});
