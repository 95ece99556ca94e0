// What the fault test runs on and how long each step lasts: its own ports (7550–7569, apart from
// the integration tests' and `npm start`'s), its own throwaway folders under tmp/, and the two
// schedules, full and `--quick`.
import { randomBytes } from 'node:crypto';

const MiB = 1024 ** 2;
const KiB = 1024;

export const PORTS = Object.freeze({
  /** nginx; the instances follow it (7551–7553), and their metrics ports come after the rest (7561–7563). */
  public: 7550,
  instances: 7551,
  metrics: 7561,
  pg: 7557,
  redis: 7558,
  clamd: 7559,
  idp: 7560,
});

export const INSTANCES = 3;

/** Every folder the test makes; each is deleted at the end, also after a failure. */
export const DIRS = Object.freeze({
  cluster: 'tmp/chaos-cluster',
  pg: 'tmp/chaos-pg',
  redis: 'tmp/chaos-redis',
  clamav: 'tmp/chaos-clamav',
  idp: 'tmp/chaos-idp',
});

/** Results (JSON, and the cluster's output) are kept here: they are the point of a run. */
export const RESULTS_DIR = 'tmp/chaos';

/** How long each fault's window stays open after recovery, for answers that were already under way. */
export const GRACE_SECONDS = Object.freeze({ kill: 5, pg: 10 });

/**
 * The schedules, in seconds. Both run the same faults; the quick one (CI) with shorter outages
 * and gaps, fewer clients, and small files but one multipart file.
 *
 * The full run's clients each start an upload at most every `everyMs`: about one a second in
 * all, some half of what the whole stack (three instances, the gateway, PostgreSQL, clamd and the
 * client itself) serves on two cores when the clients go back to back. A saturated machine queues
 * every request for a core, whatever the fault, and the latencies then measure that queue.
 */
export const MODES = Object.freeze({
  full: {
    workers: 8,
    everyMs: 8_000,
    sizes: [64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 64 * KiB, 2 * MiB, 24 * MiB],
    first: undefined,
    warmup: 20,
    gap: 20,
    killHold: 10,
    pgDown: 5,
    redisDown: 15,
    redisFrozen: 10,
    clamdDown: 30,
    /** Clients go on this long after the last fault, so that uploads finish under normal service. */
    tail: 20,
    /** Waits for the staging sweep to empty the bucket of settled uploads' staged objects. */
    waitForSweep: true,
  },
  quick: {
    workers: 4,
    everyMs: 0,
    sizes: [16 * KiB, 64 * KiB, 128 * KiB],
    first: 20 * MiB,
    warmup: 5,
    gap: 5,
    killHold: 3,
    pgDown: 3,
    redisDown: 5,
    redisFrozen: 5,
    clamdDown: 10,
    tail: 5,
    waitForSweep: false,
  },
});

/**
 * The API's settings for the fault test, beyond what the cluster tool gives every instance.
 * @param prefix the run's own folder in the bucket, so that its listing holds this run's objects
 *   only (the test gateway's bucket is shared with the integration tests)
 */
export function apiSettings(prefix) {
  return {
    UPLOAD_KEY_PREFIX: `${prefix}uploads/`,
    UPLOAD_STAGING_PREFIX: `${prefix}incoming/`,
    // One principal polls many uploads at once here; a real fleet's limit is per person.
    RATE_LIMIT_MAX: '1000000',
    // The staging sweep removes a settled upload's staged object a minute after its policy
    // expires: a one-minute policy (the client posts at once) and a 5 s poll keep that wait short.
    UPLOAD_POST_EXPIRES_SECONDS: '60',
    RECONCILE_INTERVAL_SECONDS: '5',
    // A key of its own, so that the cluster tool writes nothing into .local-webhooks.
    WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
  };
}

/** LOCAL_* variables that point each local service the cluster starts at the test's own folder and port. */
export const localServiceEnv = () => ({
  LOCAL_PG_DIR: DIRS.pg,
  LOCAL_PG_PORT: String(PORTS.pg),
  LOCAL_PG_FSYNC: 'off',
  LOCAL_REDIS_DIR: DIRS.redis,
  LOCAL_REDIS_PORT: String(PORTS.redis),
  LOCAL_CLAMAV_DIR: DIRS.clamav,
  LOCAL_CLAMAV_PORT: String(PORTS.clamd),
  LOCAL_IDP_DIR: DIRS.idp,
  LOCAL_IDP_PORT: String(PORTS.idp),
  // Longer than any run: the client keeps one token throughout.
  LOCAL_IDP_TOKEN_SECONDS: '7200',
});

/** Variables that would make the cluster use someone else's service instead of starting its own. */
export const OWN_SERVICE_VARIABLES = [
  'DATABASE_URL',
  'OIDC_ISSUER',
  'CLAMD_URL',
  'REDIS_URL',
  'UPLOAD_SCAN',
  'METRICS_PORT',
];

/** CLI flags of a local service's tool for its folder and port. */
export const flagsOf = (service) => [
  '--dir',
  DIRS[service === 'clamd' ? 'clamav' : service],
  '--port',
  String(PORTS[service]),
];
