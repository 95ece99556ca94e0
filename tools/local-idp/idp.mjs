// Start, stop, status and key rotation of the local OpenID provider (server.mjs), on the shared
// local-service runner: pid file, readiness, idempotent start. Data (signing keys, the service
// client's secret) is generated on first start and kept in the data folder.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { LocalServiceError } from '../local-service/errors.mjs';
import {
  assertPortFree,
  httpAnswers,
  livePid,
  logHint,
  prepareDir,
  spawnDaemon,
  stopPid,
  waitFor,
} from '../local-service/processes.mjs';
import { API_AUDIENCE, SERVICE_CLIENT_ID, WEB_CLIENT_ID } from './users.mjs';

const SERVER = join(import.meta.dirname, 'server.mjs');

export function layout(dir) {
  return {
    settings: join(dir, 'settings.json'),
    keys: join(dir, 'keys.json'),
    secrets: join(dir, 'secrets.json'),
    pidFile: join(dir, 'run', 'idp.pid'),
    log: join(dir, 'log', 'idp.log'),
  };
}

export const issuerOf = (options) => `http://127.0.0.1:${options.port}`;

/** A new RS256 signing key as a private JWK, named by its thumbprint. */
async function newSigningKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

async function ensureData(options) {
  const paths = layout(options.dir);
  if (!existsSync(paths.keys)) {
    writeFileSync(paths.keys, JSON.stringify({ keys: [await newSigningKey()] }, null, 2), { mode: 0o600 });
  }
  if (!existsSync(paths.secrets)) {
    const secrets = {
      serviceClientSecret: randomBytes(32).toString('base64url'),
      cookieKey: randomBytes(32).toString('base64url'),
    };
    writeFileSync(paths.secrets, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const settings = {
    issuer: issuerOf(options),
    port: options.port,
    redirectUris: options.redirectUris,
    accessTokenSeconds: options.tokenSeconds,
  };
  writeFileSync(paths.settings, JSON.stringify(settings, null, 2));
}

export const providerAnswers = (options) =>
  httpAnswers(`${issuerOf(options)}/.well-known/openid-configuration`, { requireOk: true });

/** Starts the provider unless it runs; `{ alreadyRunning, started }` as the other local services. */
export async function startIdp(options) {
  prepareDir(options.dir);
  const paths = layout(options.dir);
  if (livePid(paths.pidFile) && (await providerAnswers(options)))
    return { alreadyRunning: true, started: false };
  await stopPid(paths.pidFile);
  await assertPortFree(options.port, '--port');
  await ensureData(options);
  spawnDaemon(process.execPath, [SERVER, options.dir], { pidFile: paths.pidFile, logFile: paths.log });
  await waitFor(
    async () => {
      if (!livePid(paths.pidFile)) throw new LocalServiceError(logHint(paths.log, 'the provider exited'));
      return providerAnswers(options);
    },
    { timeoutMs: 20_000, message: logHint(paths.log, 'the provider did not answer in 20 s') },
  ).catch(async (error) => {
    await stopPid(paths.pidFile);
    throw error instanceof LocalServiceError ? error : new LocalServiceError(error.message);
  });
  return { alreadyRunning: false, started: true };
}

export const stopIdp = (options) => stopPid(layout(options.dir).pidFile, { graceMs: 5_000 });

/**
 * A new signing key, first in the set so that new tokens use it; the previous one stays
 * published so that tokens it signed verify until they expire. A running provider is restarted.
 */
export async function rotateKeys(options) {
  prepareDir(options.dir);
  const paths = layout(options.dir);
  const previous = existsSync(paths.keys) ? JSON.parse(readFileSync(paths.keys, 'utf8')).keys : [];
  const key = await newSigningKey();
  writeFileSync(paths.keys, JSON.stringify({ keys: [key, ...previous.slice(0, 1)] }, null, 2), {
    mode: 0o600,
  });
  const wasRunning = await stopIdp(options);
  if (wasRunning) await startIdp(options);
  return { kid: key.kid, restarted: wasRunning };
}

/** Deletes the data folder after stopping the provider: new keys and secret on the next start. */
export async function resetIdp(options) {
  await stopIdp(options);
  rmSync(options.dir, { recursive: true, force: true });
}

/** What the API needs to trust this provider, and what `npm run token` needs to use it. */
export function clientEnv(options) {
  const secrets = JSON.parse(readFileSync(layout(options.dir).secrets, 'utf8'));
  return {
    OIDC_ISSUER: issuerOf(options),
    OIDC_AUDIENCE: API_AUDIENCE,
    OIDC_CLIENT_ID: WEB_CLIENT_ID,
    LOCAL_IDP_SERVICE_CLIENT_ID: SERVICE_CLIENT_ID,
    LOCAL_IDP_SERVICE_CLIENT_SECRET: secrets.serviceClientSecret,
  };
}
