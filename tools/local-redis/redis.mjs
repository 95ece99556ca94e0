// Debian's redis-server on 127.0.0.1 with a private config and no persistence: the store the API
// instances share their rate-limit counters through, for development and tests.
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { nobodyHome } from '../local-service/nobody-home.mjs';
import {
  assertPortFree,
  livePid,
  logHint,
  prepareDir,
  spawnDaemon,
  stopPid,
  waitFor,
} from '../local-service/processes.mjs';
import { MissingPackagesError, REDIS, ensurePackages } from '../system-packages.mjs';

/** nobody:nogroup, for the folder redis-server may write to when started by root. */
const UNPRIVILEGED = 65534;

export function layout(dir) {
  const home = redisHome(dir);
  return {
    /** The settings it runs with, kept in the folder to compare on the next start. */
    settings: join(dir, 'redis.conf'),
    config: join(home, 'redis.conf'),
    home,
    /** Its working folder; nothing is saved there, but Redis insists on one. */
    data: join(home, 'data'),
    pidFile: join(dir, 'run', 'redis.pid'),
    log: join(dir, 'log', 'redis.log'),
  };
}

/**
 * Where redis-server reads its config: the folder itself, or, when it will run as nobody and a
 * folder above this one is closed to others (a private home folder holding the checkout), a
 * folder of its own under the system's temp folder, which nobody can reach.
 */
function redisHome(dir) {
  return nobodyHome(dir, 'redis');
}

export const addressOf = (options) => `127.0.0.1:${options.port}`;

/** What the API needs: REDIS_URL. */
export const clientEnv = (options) => ({ REDIS_URL: `redis://${addressOf(options)}` });

/**
 * Counters only, so nothing is saved: a restart empties them, which a rate limit survives.
 * Logging to stdout lets the runner keep the log; the runner keeps the pid file too.
 */
function redisConf(options) {
  return [
    '# Written by tools/local-redis on every start.',
    'bind 127.0.0.1',
    `port ${options.port}`,
    'protected-mode yes',
    'daemonize no',
    'logfile ""',
    `dir ${layout(options.dir).data}`,
    'save ""',
    'appendonly no',
    '',
  ].join('\n');
}

/** Whether Redis answers PING with PONG within 2 s. Never throws. */
export function redisAnswers(options) {
  return new Promise((resolvePromise) => {
    let reply = '';
    const socket = connect({ host: '127.0.0.1', port: options.port });
    const done = (ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply === '+PONG\r\n');
    });
    socket.once('end', () => done(false));
  });
}

function requireRedis(say) {
  try {
    ensurePackages(REDIS, say);
  } catch (error) {
    if (error instanceof MissingPackagesError) throw new LocalServiceError(error.message);
    throw error;
  }
}

/** The config, and a working folder Redis may write to, even when started by root. */
function prepareFiles(options) {
  const paths = layout(options.dir);
  mkdirSync(paths.data, { recursive: true });
  writeFileSync(paths.config, redisConf(options));
  if (paths.settings !== paths.config) writeFileSync(paths.settings, redisConf(options));
  if (process.getuid?.() !== 0) return;
  for (const folder of new Set([options.dir, paths.home])) chmodSync(folder, 0o755);
  chmodSync(paths.config, 0o644);
  chownSync(paths.data, UNPRIVILEGED, UNPRIVILEGED);
  chmodSync(paths.data, 0o700);
}

function lastLogLine(log) {
  const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return lines.at(-1) || 'no output';
}

/** Starts redis-server; `{ alreadyRunning, started }` as the other services. */
export async function startRedis(options, say = () => undefined) {
  prepareDir(options.dir);
  const paths = layout(options.dir);
  requireRedis(say);
  if (livePid(paths.pidFile)) {
    const running = existsSync(paths.settings) ? readFileSync(paths.settings, 'utf8') : '';
    if (running !== redisConf(options)) {
      throw new LocalServiceError(
        `redis-server from ${options.dir} runs with other settings (port); stop it first with \`local-redis stop\``,
      );
    }
    await waitUntilReady(options);
    return { alreadyRunning: true, started: false };
  }
  await assertPortFree(options.port, '--port');
  prepareFiles(options);
  // Redis has no need of root; as root it runs as nobody, which can read the config and write
  // only its working folder.
  const [command, args] =
    process.getuid?.() === 0
      ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'redis-server', paths.config]]
      : ['redis-server', [paths.config]];
  spawnDaemon(command, args, { pidFile: paths.pidFile, logFile: paths.log });
  await waitUntilReady(options);
  return { alreadyRunning: false, started: true };
}

async function waitUntilReady(options) {
  const paths = layout(options.dir);
  const state = await waitFor(
    async () => (livePid(paths.pidFile) ? (await redisAnswers(options)) && 'ready' : 'exited'),
    {
      timeoutMs: 20_000,
      intervalMs: 50,
      message: logHint(paths.log, `redis-server did not answer PING on ${addressOf(options)} within 20 s`),
    },
  );
  if (state === 'exited') {
    throw new LocalServiceError(
      logHint(paths.log, `redis-server stopped while starting: ${lastLogLine(paths.log)}`),
    );
  }
}

export const stopRedis = (options) => stopPid(layout(options.dir).pidFile);

/** Stops redis-server and deletes its folder. */
export async function resetRedis(options) {
  await stopRedis(options);
  rmSync(layout(options.dir).home, { recursive: true, force: true });
  rmSync(options.dir, { recursive: true, force: true });
}
