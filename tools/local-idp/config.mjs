import { resolve } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { optionReader, parsePort } from '../local-service/options.mjs';
import { WEB_REDIRECT_URIS } from './users.mjs';

export const DEFAULTS = Object.freeze({
  dir: '.local-idp',
  port: 7490,
  redirectUris: WEB_REDIRECT_URIS.join(','),
  tokenSeconds: 300,
});

/** Options from flags, then LOCAL_IDP_* variables, then defaults; every value checked up front. */
export function resolveOptions(flags, env = process.env) {
  const pick = optionReader(flags, env, 'LOCAL_IDP');
  const tokenSeconds = Number(pick('token-seconds', DEFAULTS.tokenSeconds));
  if (!Number.isInteger(tokenSeconds) || tokenSeconds < 1 || tokenSeconds > 86_400) {
    throw new LocalServiceError(
      `--token-seconds must be a whole number from 1 to 86400 (got "${pick('token-seconds')}")`,
      2,
    );
  }
  const redirectUris = String(pick('redirect-uris', DEFAULTS.redirectUris))
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean);
  for (const uri of redirectUris) {
    if (!URL.canParse(uri) || !/^https?:$/.test(new URL(uri).protocol)) {
      throw new LocalServiceError(`--redirect-uris: "${uri}" is not an http(s) URL`, 2);
    }
  }
  return {
    dir: resolve(pick('dir', DEFAULTS.dir)),
    port: parsePort(pick('port', DEFAULTS.port), '--port'),
    redirectUris,
    tokenSeconds,
  };
}
