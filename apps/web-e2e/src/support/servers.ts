import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../../..');
const STATE_FILE = join(ROOT, 'tmp/web-e2e/state.json');

/** Throwaway local identity providers (tools/local-idp), each trusted by some of the APIs below. */
export const IDPS = {
  /** Access tokens for five minutes, as `npm start` runs it. */
  main: { port: 7498, dir: 'tmp/web-e2e-idp', tokenSeconds: 300 },
  /** Access tokens for 20 s, so that a session ends during a test. */
  shortTokens: { port: 7499, dir: 'tmp/web-e2e-idp-short', tokenSeconds: 20 },
};

/** The APIs the browser tests use, each serving the built web app. */
export const APIS = {
  /** As `npm start` runs it, with a small size limit so "too large" files stay small. */
  main: {
    port: 3100,
    idp: IDPS.main,
    env: { UPLOAD_MAX_FILE_SIZE: String(5 * 1024 * 1024), RATE_LIMIT_MAX: '100000' },
  },
  /**
   * Policies that expire after five seconds: a POST held longer lapses, while a re-signed one
   * still starts in time on a busy machine.
   */
  shortExpiry: {
    port: 3101,
    idp: IDPS.main,
    env: { UPLOAD_POST_EXPIRES_SECONDS: '5', RATE_LIMIT_MAX: '100000' },
  },
  /** Sessions whose tokens last 20 s. */
  shortSession: { port: 3102, idp: IDPS.shortTokens, env: { RATE_LIMIT_MAX: '100000' } },
  /** Files over 8 MiB in parts (of 8 MiB), up to 2 GiB. */
  multipart: {
    port: 3103,
    idp: IDPS.main,
    env: {
      UPLOAD_MULTIPART_THRESHOLD: String(8 * 1024 * 1024),
      UPLOAD_MAX_FILE_SIZE: String(2 * 1024 ** 3),
      RATE_LIMIT_MAX: '100000',
    },
  },
  /**
   * Parts whose URLs lapse after eight seconds: long enough that only the part a test holds back
   * lapses, even on a busy machine where signing and the start of an 8 MiB PUT take seconds.
   */
  shortPartUrls: {
    port: 3104,
    idp: IDPS.main,
    env: {
      UPLOAD_MULTIPART_THRESHOLD: String(8 * 1024 * 1024),
      UPLOAD_PART_URL_EXPIRES_SECONDS: '8',
      RATE_LIMIT_MAX: '100000',
    },
  },
};

export const issuerOf = (idp: { port: number }) => `http://127.0.0.1:${idp.port}`;

/** The throwaway PostgreSQL every API here shares (fsync off). */
const PG_FLAGS = ['--dir', 'tmp/web-e2e-pg', '--port', '7436', '--fsync', 'off'];

/** Starts or deletes the database; `start` returns its DATABASE_URL. */
function localPg(command: 'start' | 'reset'): Record<string, string> {
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['tools/local-pg/local-pg.mjs', ...args, ...PG_FLAGS], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  run(command);
  if (command === 'reset') return {};
  return {
    DATABASE_URL: run('env')
      .trim()
      .replace(/^DATABASE_URL=/, ''),
  };
}

export interface State {
  gatewayEnv: Record<string, string>;
  startedGateway: boolean;
  pids: number[];
}

function localIdp(command: 'start' | 'stop', idp: (typeof IDPS)[keyof typeof IDPS]): void {
  const redirectUris = Object.values(APIS)
    .filter((api) => api.idp === idp)
    .map((api) => `http://127.0.0.1:${api.port}`);
  execFileSync(
    process.execPath,
    [
      'tools/local-idp/local-idp.mjs',
      command,
      ...['--dir', idp.dir, '--port', String(idp.port)],
      ...(command === 'start'
        ? ['--redirect-uris', redirectUris.join(','), '--token-seconds', String(idp.tokenSeconds)]
        : []),
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

export function readState(): State {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
}

export function gateway(command: 'start' | 'stop'): string {
  return execFileSync(process.execPath, ['tools/local-s3/test-gateway.mjs', command], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export async function startAll(): Promise<void> {
  for (const built of ['dist/apps/api/main.js', 'dist/apps/web/browser/index.html']) {
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run \`npx nx run-many -t build -p api web\` first`);
  }
  const { env, startedNow } = JSON.parse(gateway('start'));
  for (const idp of Object.values(IDPS)) localIdp('start', idp);
  const database = localPg('start');
  // The APIs share one database, and any one's worker may send a delivery another registered:
  // one key seals every endpoint's secret, and every worker may reach receivers on loopback.
  const webhooks = {
    WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    // One retry, ten minutes on: a failed delivery waits for the test's Replay, not the schedule.
    WEBHOOK_RETRY_SCHEDULE: '10m',
  };
  const pids: number[] = [];
  for (const { port, idp, env: overrides } of Object.values(APIS)) {
    const identity = {
      OIDC_ISSUER: issuerOf(idp),
      OIDC_AUDIENCE: 'api://dropgate',
      OIDC_CLIENT_ID: 'dropgate-web',
    };
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        ...identity,
        ...database,
        ...webhooks,
        ...overrides,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: 'inherit',
      detached: false,
    });
    pids.push(child.pid ?? 0);
    await waitForHealth(`http://127.0.0.1:${port}/api/health`);
  }
  mkdirSync(join(ROOT, 'tmp/web-e2e'), { recursive: true });
  writeFileSync(
    STATE_FILE,
    JSON.stringify({ gatewayEnv: env, startedGateway: startedNow, pids } satisfies State),
  );
}

export async function stopAll(): Promise<void> {
  const state = readState();
  for (const pid of state.pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (const idp of Object.values(IDPS)) localIdp('stop', idp);
  localPg('reset');
  if (state.startedGateway) gateway('stop');
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within 30 s`);
}
