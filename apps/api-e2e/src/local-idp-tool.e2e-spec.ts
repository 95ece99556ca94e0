import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ROOT } from './support/gateway';

// tools/local-idp and `npm run token`: a real provider in its own folder and on its own port.
const DIR = 'tmp/local-idp-tool-test';
const PORT = 7491;
const FLAGS = ['--dir', DIR, '--port', String(PORT)];
const ISSUER = `http://127.0.0.1:${PORT}`;
const AUDIENCE = 'api://dropgate';
const jwks = createRemoteJWKSet(new URL(`${ISSUER}/jwks`), { cooldownDuration: 0 });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function node(script: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const tool = (...args: string[]) => node('tools/local-idp/local-idp.mjs', ...args);
const token = (...args: string[]) => node('tools/local-idp/token.mjs', ...FLAGS, ...args);

async function verified(run: Run) {
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const { payload, protectedHeader } = await jwtVerify(run.stdout.trim(), jwks, {
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: 'at+jwt',
    algorithms: ['RS256'],
  });
  return { payload, kid: protectedHeader.kid };
}

describe('tools/local-idp', () => {
  beforeAll(async () => {
    expect((await tool('start', ...FLAGS)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await tool('reset', ...FLAGS);
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
  });

  it('should be a no-op when started twice, and report itself running', async () => {
    const again = await tool('start', ...FLAGS);
    expect(again).toMatchObject({ code: 0, stdout: `local-idp: already running at ${ISSUER}\n` });
    expect((await tool('status', ...FLAGS)).stdout).toMatch(
      /^local-idp: running at http:\/\/127\.0\.0\.1:7491 \(pid \d+\)\n$/,
    );
  });

  it('should print what the API needs to trust it', async () => {
    const env = (await tool('env', ...FLAGS)).stdout;
    expect(env).toContain(`OIDC_ISSUER=${ISSUER}\n`);
    expect(env).toContain(`OIDC_AUDIENCE=${AUDIENCE}\n`);
    expect(env).toMatch(/^LOCAL_IDP_SERVICE_CLIENT_SECRET=[\w-]{43}$/m);
  });

  it('should issue the service an RFC 9068 access token with its two scopes', async () => {
    const { payload } = await verified(await token());
    expect(payload).toMatchObject({
      sub: 'dropgate-service',
      client_id: 'dropgate-service',
      scope: 'uploads:write uploads:admin webhooks:admin',
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
  });

  it.each([
    ['bob', 'Bob Example', 'uploads:write uploads:read'],
    ['admin', 'Ada Admin', 'uploads:write uploads:read uploads:admin webhooks:admin'],
  ])(
    'should sign %s in through the form with PKCE and issue only their own scopes',
    async (user, name, scope) => {
      const { payload } = await verified(await token('--user', user));
      expect(payload).toMatchObject({ sub: user, name, scope, client_id: 'dropgate-web' });
    },
  );

  it('should sign new tokens with a new key after rotate-keys, and keep the old key published', async () => {
    const before = await verified(await token());
    const rotated = await tool('rotate-keys', ...FLAGS);
    expect(rotated.stdout).toMatch(/^local-idp: new signing key [\w-]{43}; restarted\n$/);
    const after = await token();
    const { kid } = await verified(after);
    expect(kid).not.toBe(before.kid);
    expect(decodeProtectedHeader(after.stdout.trim()).alg).toBe('RS256');
    const published = (await (await fetch(`${ISSUER}/jwks`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    expect(published.keys.map((k) => k.kid)).toEqual([kid, before.kid]);
    expect(published.keys.some((k) => k.d)).toBe(false);
  }, 60_000);

  it('should refuse a token request for another audience', async () => {
    const env = Object.fromEntries(
      (await tool('env', ...FLAGS)).stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    const response = await fetch(`${ISSUER}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`dropgate-service:${env['LOCAL_IDP_SERVICE_CLIENT_SECRET']}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'api://elsewhere' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_target');
  });

  describe('bad input', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(7492, '127.0.0.1', resolve));
    });
    afterAll(() => blocker.close());

    it.each<[string, () => Promise<Run>, number, RegExp]>([
      [
        'an unknown command',
        () => tool('frobnicate'),
        2,
        /^local-idp: unknown command "frobnicate"; expected one of start, stop, reset, status, env, rotate-keys\n$/,
      ],
      [
        'a port that is not a number',
        () => tool('start', '--port', 'x'),
        2,
        /^local-idp: --port must be a whole number from 1024 to 65535 \(got "x"\)\n$/,
      ],
      [
        'a port already taken',
        () => tool('start', '--dir', 'tmp/local-idp-taken', '--port', '7492'),
        1,
        /^local-idp: port 7492 on 127\.0\.0\.1 is already in use; free it or choose another with --port\n$/,
      ],
      [
        'a token lifetime of zero',
        () => tool('start', '--token-seconds', '0'),
        2,
        /^local-idp: --token-seconds must be a whole number from 1 to 86400/,
      ],
      [
        'a redirect URI that is not http',
        () => tool('start', '--redirect-uris', 'javascript:alert(1)'),
        2,
        /^local-idp: --redirect-uris: "javascript:alert\(1\)" is not an http\(s\) URL\n$/,
      ],
      [
        'a token for an unknown user',
        () => token('--user', 'mallory'),
        2,
        /^token: unknown user "mallory"; the users are alice, bob, admin\n$/,
      ],
      [
        'a token when no provider runs',
        () => node('tools/local-idp/token.mjs', '--dir', 'tmp/local-idp-none', '--port', '7493'),
        1,
        /^token: no local identity provider answers at http:\/\/127\.0\.0\.1:7493; start it with npm start or npm run local-idp -- start\n$/,
      ],
    ])('should refuse %s in one line, without a stack trace', async (_case, run, code, message) => {
      const result = await run();
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
