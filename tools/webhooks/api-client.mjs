// The few webhooks admin calls the listener makes, with every answer it expects turned into a
// one-line message that names the fix: a developer running `npm run webhooks` wants the setting
// to change, not a stack trace or a problem+json document.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';

const ROOT = join(import.meta.dirname, '../..');

/**
 * $DROPGATE_TOKEN, else a client-credentials token of the local provider (`npm run token`): the
 * dropgate-service client holds webhooks:admin. Tokens last five minutes; the listener needs one
 * only to register, and asks again when it has something to delete.
 */
export function accessToken(env = process.env) {
  if (env.DROPGATE_TOKEN) return Promise.resolve(env.DROPGATE_TOKEN);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'tools/local-idp/token.mjs')],
      { cwd: ROOT },
      (error, out, err) => {
        if (!error) return resolve(out.trim());
        const reason = err.trim().replace(/^token: /, '') || error.message;
        reject(
          new LocalServiceError(`no token: ${reason} (or set DROPGATE_TOKEN to a token with webhooks:admin)`),
        );
      },
    );
  });
}

/** The admin API at `api` (an origin such as http://localhost:3000), as `token`. */
export function webhooksApi(api, token) {
  const call = async (method, path, body) => {
    let response;
    try {
      response = await fetch(`${api}/api/webhooks${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      const why = error.cause?.code ?? error.cause?.message ?? error.message;
      throw new LocalServiceError(
        `no API answers at ${api} (${why}); start it with npm start, or point --api or DROPGATE_URL at it`,
      );
    }
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (response.ok) return json;
    throw refusal(api, method, path, response.status, json ?? {});
  };
  return {
    list: async () => (await call('GET', '/endpoints')).items,
    create: (request) => call('POST', '/endpoints', request),
    update: (id, patch) => call('PATCH', `/endpoints/${id}`, patch),
    rotateSecret: (id) => call('POST', `/endpoints/${id}/rotate-secret`),
    remove: (id) => call('DELETE', `/endpoints/${id}`),
  };
}

/** An answer the caller may handle (409 on rotation); every other refusal ends the tool. */
export class ApiRefusal extends LocalServiceError {
  constructor(message, status, code, detail) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

function refusal(api, method, path, status, problem) {
  const code = problem.errors?.[0]?.code;
  // Without its full stop: the detail is quoted inside a sentence of the tool's own.
  const detail = String(
    problem.errors?.[0]?.message ?? problem.detail ?? problem.title ?? 'no detail',
  ).replace(/\.$/, '');
  const fail = (message) => new ApiRefusal(message, status, code, detail);
  if (code === 'webhook.url_not_allowed') {
    return fail(
      `the API at ${api} refuses receivers on 127.0.0.1 (${detail}); start it with WEBHOOK_ALLOWED_CIDRS ` +
        `including 127.0.0.1, e.g. WEBHOOK_ALLOWED_CIDRS=127.0.0.0/8,::1/128 (npm start sets this unless ` +
        `WEBHOOK_ALLOWED_CIDRS is already set)`,
    );
  }
  if (code === 'webhooks.not_configured') {
    return fail(
      `the API at ${api} cannot store webhook secrets: set WEBHOOK_SECRETS_KEY (32 bytes; ` +
        '`openssl rand -base64 32`) and restart it (npm start makes a local one)',
    );
  }
  if (status === 401) {
    return fail(
      `the API at ${api} refused the token (401: ${detail}); unset DROPGATE_TOKEN to use the local ` +
        "provider's, or set it to a fresh one (npm run -s token)",
    );
  }
  if (status === 403) {
    return fail(
      `the token lacks the webhooks:admin scope (403: ${detail}); use the local provider's ` +
        'dropgate-service token (unset DROPGATE_TOKEN) or one for the admin user (npm run -s token -- --user admin)',
    );
  }
  if (status === 404 && path === '/endpoints') {
    return fail(`the API at ${api} has no webhooks admin API (404); is it Dropgate, and up to date?`);
  }
  return fail(`the API at ${api} answered ${status} to ${method} /api/webhooks${path}: ${detail}`);
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}
