#!/usr/bin/env node
// `npm run token`: prints an access token from the local identity provider, and nothing else on
// standard output, so that TOKEN=$(npm run -s token) works.
//   (no options)   a client-credentials token for dropgate-service
//   --user NAME    signs a development user in through the authorization-code + PKCE flow and
//                  the provider's own sign-in form, by script, as a browser would
//   --scope LIST   asks for fewer scopes (space-separated) than the client or user may have
// The provider is the one `npm start` runs (or --dir/--port, as for local-idp).
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { LocalServiceError } from '../local-service/errors.mjs';
import { resolveOptions } from './config.mjs';
import { clientEnv, issuerOf, providerAnswers } from './idp.mjs';
import { API_AUDIENCE, API_SCOPES, SERVICE_SCOPES, USERS, WEB_CLIENT_ID } from './users.mjs';

async function serviceToken(issuer, env, scope = SERVICE_SCOPES.join(' ')) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${env.LOCAL_IDP_SERVICE_CLIENT_ID}:${env.LOCAL_IDP_SERVICE_CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      resource: API_AUDIENCE,
    }),
  });
  return tokenFrom(response);
}

/** A browser's cookie jar, just enough for the provider's interaction cookies. */
class Jar {
  cookies = new Map();
  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function userToken(issuer, user, redirectUri, scope = API_SCOPES.join(' ')) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const jar = new Jar();
  const step = async (url, init = {}) => {
    const response = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: jar.header() },
    });
    jar.take(response);
    await response.arrayBuffer();
    if (![302, 303].includes(response.status)) {
      throw new LocalServiceError(
        `sign-in stopped at ${new URL(url, issuer).pathname} with ${response.status}`,
      );
    }
    return response.headers.get('location');
  };
  const authorize = new URL(`${issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: `openid profile ${scope}`,
    resource: API_AUDIENCE,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const form = await step(authorize);
  const resume = await step(`${form}/login`, { method: 'POST', body: new URLSearchParams({ user }) });
  const callback = new URL(await step(resume), issuer);
  if (callback.searchParams.get('state') !== state)
    throw new LocalServiceError('the provider returned another state');
  const code = callback.searchParams.get('code');
  if (!code)
    throw new LocalServiceError(`the provider refused: ${callback.searchParams.get('error') ?? callback}`);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: WEB_CLIENT_ID,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  return tokenFrom(response);
}

async function tokenFrom(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new LocalServiceError(
      `the token endpoint answered ${response.status}: ${body.error_description ?? body.error ?? 'no token'}`,
    );
  }
  return body.access_token;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        user: { type: 'string' },
        scope: { type: 'string' },
        dir: { type: 'string' },
        port: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new LocalServiceError(`${error.message}; usage: npm run token [-- --user NAME] [--scope LIST]`, 2);
  }
  if (values.user !== undefined && !Object.hasOwn(USERS, values.user)) {
    throw new LocalServiceError(
      `unknown user "${values.user}"; the users are ${Object.keys(USERS).join(', ')}`,
      2,
    );
  }
  const options = resolveOptions(values);
  const issuer = issuerOf(options);
  if (!(await providerAnswers(options))) {
    throw new LocalServiceError(
      `no local identity provider answers at ${issuer}; start it with npm start or npm run local-idp -- start`,
    );
  }
  const token = values.user
    ? await userToken(issuer, values.user, options.redirectUris[0], values.scope)
    : await serviceToken(issuer, clientEnv(options), values.scope);
  console.log(token);
}

main().catch((error) => {
  console.error(
    `token: ${error instanceof LocalServiceError ? error.message : `unexpected failure: ${error.message}`}`,
  );
  process.exit(error.exitCode ?? 1);
});
