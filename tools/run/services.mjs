// The local services the API runs against in development, started for `npm start` and
// `npm run cluster` alike: the S3 gateway unless S3_BUCKET is set, PostgreSQL unless DATABASE_URL
// is set, the identity provider unless OIDC_ISSUER is set, clamd unless CLAMD_URL is set (or
// UPLOAD_SCAN=off), the webhook secrets key, and Redis, when asked, unless REDIS_URL is set.
// Each is stopped at the end only when this process started it.
import { LocalServiceError } from '../local-service/errors.mjs';
import { resolveOptions } from '../local-s3/config.mjs';
import { startCluster, stopCluster } from '../local-s3/cluster.mjs';
import { bootstrap, clientEnv } from '../local-s3/bootstrap.mjs';
import { resolveOptions as resolveIdpOptions } from '../local-idp/config.mjs';
import { clientEnv as idpEnv, issuerOf, startIdp, stopIdp } from '../local-idp/idp.mjs';
import { resolveOptions as resolvePgOptions } from '../local-pg/config.mjs';
import { clientEnv as pgEnv, startPg, stopPg } from '../local-pg/postgres.mjs';
import { resolveOptions as resolveClamavOptions } from '../local-clamav/config.mjs';
import {
  addressOf as clamdAddress,
  clientEnv as clamdEnv,
  startClamd,
  stopClamd,
} from '../local-clamav/clamd.mjs';
import { webhooksEnvironment } from './webhooks-env.mjs';

/**
 * Local services for the API. `start()` returns the variables the API needs (to be laid over
 * process.env); `stop()` stops what `start()` started, newest first, and may be called at any
 * time, even while `start()` is still under way (Ctrl-C during start-up): whatever starts after
 * that is stopped at once.
 */
export function localServices({ say, redis = false }) {
  /** How to stop each service this process started, in start order. */
  const started = [];
  let stopped = false;

  const track = async (stop) => {
    if (!stopped) return void started.push(stop);
    await stop();
    throw new LocalServiceError('stopped while starting the local services');
  };

  /**
   * A local single-process service, unless the variable `own` names the user's own one: started
   * (and stopped at the end when this process started it), and the variables the API needs.
   */
  async function localService({ own, ownMessage, name, options, start, stop, address, env, note = '' }) {
    if (process.env[own]) {
      say(ownMessage);
      return {};
    }
    const result = await start(options, (step) => say(`${name}: ${step}`));
    if (result.started) {
      await track(async () => {
        await stop(options);
        say(`stopped the ${name}; data kept in ${options.dir}`);
      });
    }
    say(`${name} ${result.alreadyRunning ? 'already running' : 'ready'} at ${address(options)}${note}`);
    return env(options);
  }

  async function s3Environment() {
    if (process.env.S3_BUCKET) {
      say(
        `using bucket ${process.env.S3_BUCKET}${process.env.S3_ENDPOINT ? ` at ${process.env.S3_ENDPOINT}` : ''}; no local gateway`,
      );
      return {};
    }
    const options = resolveOptions({});
    const result = await startCluster(options, (step) => say(`local S3: ${step}`));
    if (result.started.length) {
      await track(async () => {
        const names = await stopCluster(options, result.started);
        say(`stopped local S3 (${names.join(', ')}); data kept in ${options.dir}`);
      });
    }
    await bootstrap(options);
    say(
      `local S3 ${result.alreadyRunning ? 'already running' : 'ready'} at http://127.0.0.1:${options.port}, bucket ${options.bucket}`,
    );
    return { ...clientEnv(options), CORS_ORIGINS: process.env.CORS_ORIGINS ?? 'http://localhost:4200' };
  }

  /** The local PostgreSQL, unless DATABASE_URL names another. */
  const databaseEnvironment = () =>
    localService({
      own: 'DATABASE_URL',
      ownMessage: 'using the database in DATABASE_URL; no local PostgreSQL',
      name: 'local PostgreSQL',
      options: resolvePgOptions({}),
      start: startPg,
      stop: stopPg,
      address: (options) => `127.0.0.1:${options.port}`,
      env: pgEnv,
    });

  /** The development identity provider, unless OIDC_ISSUER names the company's own. */
  const identityEnvironment = () =>
    localService({
      own: 'OIDC_ISSUER',
      ownMessage: `signing in with ${process.env.OIDC_ISSUER}; no local identity provider`,
      name: 'local identity provider',
      options: resolveIdpOptions({}),
      start: startIdp,
      stop: stopIdp,
      address: issuerOf,
      note: ' (development only: sign in as alice, bob or admin)',
      env: (options) => {
        const { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID } = idpEnv(options);
        return { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID };
      },
    });

  /**
   * The local clamd with test signatures only, unless CLAMD_URL names a real one or the
   * deployment does not scan (UPLOAD_SCAN=off).
   */
  const scannerEnvironment = () =>
    process.env.UPLOAD_SCAN === 'off'
      ? (say('UPLOAD_SCAN=off: uploads are not scanned; no local clamd'), {})
      : localService({
          own: 'CLAMD_URL',
          ownMessage: `scanning with the clamd at ${process.env.CLAMD_URL}; no local clamd`,
          name: 'local clamd',
          options: clamavOptions(),
          start: startClamd,
          stop: stopClamd,
          address: clamdAddress,
          note: ' (development only: it knows the EICAR test file and nothing else)',
          env: clamdEnv,
        });

  /** The local Redis, unless REDIS_URL names another; imported only when asked for, as `npm start` needs none. */
  async function redisEnvironment() {
    const [{ resolveOptions: resolveRedisOptions }, local] = await Promise.all([
      import('../local-redis/config.mjs'),
      import('../local-redis/redis.mjs'),
    ]);
    return localService({
      own: 'REDIS_URL',
      ownMessage: 'using the Redis in REDIS_URL; no local Redis',
      name: 'local Redis',
      options: resolveRedisOptions({}),
      start: local.startRedis,
      stop: local.stopRedis,
      address: local.addressOf,
      env: local.clientEnv,
    });
  }

  const steps = [
    s3Environment,
    databaseEnvironment,
    identityEnvironment,
    scannerEnvironment,
    ...(redis ? [redisEnvironment] : []),
  ];

  return {
    async start() {
      const env = {};
      for (const step of steps) {
        if (stopped) break;
        Object.assign(env, await step());
      }
      if (stopped) throw new LocalServiceError('stopped while starting the local services');
      return { ...env, ...webhooksEnvironment(process.cwd(), say) };
    },
    async stop() {
      stopped = true;
      while (started.length) {
        const stop = started.pop();
        await stop().catch((error) => say(`could not stop: ${error.message}`));
      }
    },
  };
}

/** clamd's limits follow the API's UPLOAD_SCAN_MAX_BYTES, so that what the API sends is scanned. */
function clamavOptions() {
  const maxBytes = process.env.UPLOAD_SCAN_MAX_BYTES;
  try {
    return resolveClamavOptions(maxBytes ? { 'max-bytes': maxBytes } : {});
  } catch (error) {
    if (!maxBytes || !(error instanceof LocalServiceError)) throw error;
    throw new LocalServiceError(error.message.replace('--max-bytes', 'UPLOAD_SCAN_MAX_BYTES'));
  }
}
