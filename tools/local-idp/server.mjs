#!/usr/bin/env node
// The local OpenID provider (oidc-provider), started in the background by `local-idp start`.
// For development and tests only: its users sign in by picking a name, with no password.
// usage: server.mjs <data folder>   (the folder holds keys.json and clients.json, made by start)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Provider, { errors } from 'oidc-provider';
import {
  API_AUDIENCE,
  API_SCOPES,
  USERS,
  WEB_CLIENT_ID,
  SERVICE_CLIENT_ID,
  SERVICE_SCOPES,
} from './users.mjs';

const dir = process.argv[2];
const settings = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'));
const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));

const provider = new Provider(settings.issuer, {
  clients: [
    {
      client_id: WEB_CLIENT_ID,
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: settings.redirectUris,
      post_logout_redirect_uris: settings.redirectUris,
    },
    {
      client_id: SERVICE_CLIENT_ID,
      client_secret: secrets.serviceClientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys: keys.keys },
  cookies: { keys: [secrets.cookieKey] },
  // The OpenID scopes only: the API's scopes belong to its resource server (below).
  scopes: ['openid', 'profile', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name'] },
  // The web app shows the name from the ID token; its access token is for the API only.
  conformIdTokenClaims: false,
  // The web client's own origins may call the token and revocation endpoints from the browser.
  clientBasedCORS: (_ctx, origin, client) =>
    client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
  pkce: { required: () => true },
  // The web client gets refresh tokens without a consent prompt (a provider drops offline_access
  // unless it asked for consent); they are bound to it by PKCE and rotate on each use.
  issueRefreshToken: (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') &&
    (code.scopes.has('offline_access') || client.clientId === WEB_CLIENT_ID),
  ttl: {
    AccessToken: settings.accessTokenSeconds,
    ClientCredentials: settings.accessTokenSeconds,
    RefreshToken: 8 * 60 * 60,
    Session: 8 * 60 * 60,
    Interaction: 10 * 60,
    Grant: 8 * 60 * 60,
    IdToken: 60 * 60,
    AuthorizationCode: 60,
  },
  findAccount: (_ctx, id) =>
    userOf(id) && { accountId: id, claims: () => ({ sub: id, name: userOf(id).name }) },
  // The principal's display name, for the API's logs and the portal's header.
  extraTokenClaims: (_ctx, token) => (token.accountId ? { name: userOf(token.accountId)?.name } : undefined),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: (ctx, form) => {
        ctx.body = shell(
          'Sign out',
          `${form}<p>Sign out of the local identity provider?</p>
<p><button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button></p>`,
        );
      },
      postLogoutSuccessSource: (ctx) => {
        ctx.body = shell('Signed out', '<p>You are signed out of the local identity provider.</p>');
      },
    },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => API_AUDIENCE,
      useGrantedResource: () => true,
      // Which API scopes a client may get at all: a user's grant narrows the web client's further.
      getResourceServerInfo: (_ctx, resource, client) => {
        if (resource !== API_AUDIENCE) throw new errors.InvalidTarget();
        return {
          scope: (client.clientId === SERVICE_CLIENT_ID ? SERVICE_SCOPES : API_SCOPES).join(' '),
          audience: API_AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: settings.accessTokenSeconds,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});
provider.proxy = false;

const escape = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/** A page of this provider, with no outside resources. */
function shell(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}: Dropgate local identity provider</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; line-height: 1.6">
<h1>${escape(title)}</h1>
${body}</body></html>`;
}

function page(uid, clientId) {
  const options = Object.entries(USERS)
    .map(
      ([id, user], i) =>
        `<label><input type="radio" name="user" value="${id}"${i === 0 ? ' checked' : ''}> ${escape(user.name)} <small>(${id}: ${user.scopes.join(' ')})</small></label>`,
    )
    .join('<br>');
  return shell(
    'Sign in',
    `<p>Local identity provider, for development and tests only. ${escape(clientId)} asks who you are: pick a user.</p>
<form method="post" action="/interaction/${escape(uid)}/login">${options}
<p><button type="submit">Sign in</button></p></form>`,
  );
}

function readForm(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
      if (body.length > 4096) reject(new Error('form too large'));
    });
    request.on('end', () => resolve(new URLSearchParams(body)));
    request.on('error', reject);
  });
}

/** The login form, and on submit a grant of the user's own API scopes (those requested, no more). */
async function interaction(request, response) {
  const details = await provider.interactionDetails(request, response);
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return response.end(page(details.uid, details.params.client_id));
  }
  const form = await readForm(request);
  const accountId = form.get('user');
  const user = userOf(accountId);
  if (!user) {
    response.writeHead(400, { 'content-type': 'text/plain' });
    return response.end(`unknown user "${accountId}"`);
  }
  const requested = new Set(String(details.params.scope ?? '').split(' '));
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(['openid', 'profile', 'offline_access'].filter((s) => requested.has(s)).join(' '));
  // What the user may not have is refused, not asked again: the token carries the rest.
  grant.addResourceScope(API_AUDIENCE, user.scopes.filter((s) => requested.has(s)).join(' '));
  const refused = API_SCOPES.filter((s) => requested.has(s) && !user.scopes.includes(s));
  if (refused.length) grant.rejectResourceScope(API_AUDIENCE, refused.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

const callback = provider.callback();
createServer((request, response) => {
  // One line per request in the provider's log: what was asked of it (never a query or body).
  console.log(`${new Date().toISOString()} ${request.method} ${request.url.split('?')[0]}`);
  if (request.url === '/favicon.ico') return response.writeHead(204).end();
  if (!request.url.startsWith('/interaction/')) return callback(request, response);
  interaction(request, response).catch((error) => {
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end(`sign-in failed: ${error.message}`);
  });
}).listen(settings.port, '127.0.0.1', () => console.log(`local-idp listening on ${settings.issuer}`));

/** The user of that id; the id comes from a form, so `constructor` must find no one. */
function userOf(id) {
  return typeof id === 'string' && Object.hasOwn(USERS, id) ? USERS[id] : undefined;
}
