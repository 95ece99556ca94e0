// Debian's clamd on 127.0.0.1 with a private config, the project's test signatures and nothing
// downloaded: a scanner for development and tests, never for production.
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
import { CLAMAV, MissingPackagesError, clamdPath, ensurePackages } from '../system-packages.mjs';

const SIGNATURES = join(import.meta.dirname, 'signatures');
/** nobody:nogroup, for the files clamd itself writes when started by root. */
const UNPRIVILEGED = 65534;

export function layout(dir) {
  const home = clamdHome(dir);
  return {
    /** The settings it runs with, kept in the folder to compare on the next start. */
    settings: join(dir, 'clamd.conf'),
    config: join(home, 'clamd.conf'),
    home,
    database: join(home, 'db'),
    temp: join(home, 'tmp'),
    pidFile: join(dir, 'run', 'clamd.pid'),
    log: join(dir, 'log', 'clamd.log'),
  };
}

/**
 * Where clamd reads its config and signatures and writes its temp files: the folder itself, or,
 * when clamd will run as nobody and a folder above this one is closed to others (a private temp
 * or home folder holding the checkout), a folder of its own under the system's temp folder,
 * which nobody can reach.
 */
function clamdHome(dir) {
  return nobodyHome(dir, 'clamav');
}

export const addressOf = (options) => `127.0.0.1:${options.port}`;

/** What the API needs: CLAMD_URL. */
export const clientEnv = (options) => ({ CLAMD_URL: `tcp://${addressOf(options)}` });

/**
 * The limits are explicit because clamd's defaults pass what it did not scan as clean: a file
 * over MaxFileSize reads `OK` unless AlertExceedsMax is on, an encrypted archive unless
 * AlertEncrypted is. MaxScanSize covers what archives unpack to.
 */
function clamdConf(options) {
  const paths = layout(options.dir);
  return [
    'Foreground yes',
    `TCPSocket ${options.port}`,
    'TCPAddr 127.0.0.1',
    `DatabaseDirectory ${paths.database}`,
    `TemporaryDirectory ${paths.temp}`,
    'SelfCheck 0',
    'Bytecode no',
    `StreamMaxLength ${options.maxBytes}`,
    `MaxFileSize ${options.maxBytes}`,
    `MaxScanSize ${options.maxBytes * 4}`,
    'AlertExceedsMax yes',
    'AlertEncrypted yes',
    '',
  ].join('\n');
}

/** Whether clamd answers PING with PONG within 2 s. Never throws. */
export function clamdAnswers(options) {
  return new Promise((resolvePromise) => {
    let reply = '';
    const socket = connect({ host: '127.0.0.1', port: options.port });
    const done = (ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('zPING\0'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\0')) done(reply === 'PONG\0');
    });
    socket.once('end', () => done(false));
  });
}

function requireClamd(say) {
  try {
    ensurePackages(CLAMAV, say);
  } catch (error) {
    if (error instanceof MissingPackagesError) throw new LocalServiceError(error.message);
    throw error;
  }
  return clamdPath();
}

/** The config, the signatures and a temp folder clamd may write to, even when started by root. */
function prepareFiles(options) {
  const paths = layout(options.dir);
  mkdirSync(paths.database, { recursive: true });
  mkdirSync(paths.temp, { recursive: true });
  for (const name of readdirSync(paths.database)) rmSync(join(paths.database, name));
  for (const name of readdirSync(SIGNATURES))
    copyFileSync(join(SIGNATURES, name), join(paths.database, name));
  writeFileSync(paths.config, clamdConf(options));
  if (paths.settings !== paths.config) writeFileSync(paths.settings, clamdConf(options));
  if (process.getuid?.() !== 0) return;
  for (const folder of new Set([options.dir, paths.home, paths.database])) chmodSync(folder, 0o755);
  for (const file of [paths.config, ...readdirSync(paths.database).map((n) => join(paths.database, n))]) {
    chmodSync(file, 0o644);
  }
  chownSync(paths.temp, UNPRIVILEGED, UNPRIVILEGED);
  chmodSync(paths.temp, 0o700);
}

function lastLogLine(log) {
  const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return lines.at(-1) || 'no output';
}

/** Starts clamd; `{ alreadyRunning, started }` as the other services. */
export async function startClamd(options, say = () => undefined) {
  prepareDir(options.dir);
  const paths = layout(options.dir);
  const clamd = requireClamd(say);
  if (livePid(paths.pidFile)) {
    const running = existsSync(paths.settings) ? readFileSync(paths.settings, 'utf8') : '';
    if (running !== clamdConf(options)) {
      throw new LocalServiceError(
        `clamd from ${options.dir} runs with other settings (port or --max-bytes); stop it first with \`local-clamav stop\``,
      );
    }
    await waitUntilReady(options);
    return { alreadyRunning: true, started: false };
  }
  await assertPortFree(options.port, '--port');
  prepareFiles(options);
  // clamd has no need of root; as root it runs as nobody, which can read the config and the
  // signatures and write only its temp folder.
  const [command, args] =
    process.getuid?.() === 0
      ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', clamd, '-c', paths.config]]
      : [clamd, ['-c', paths.config]];
  spawnDaemon(command, args, { pidFile: paths.pidFile, logFile: paths.log });
  await waitUntilReady(options);
  return { alreadyRunning: false, started: true };
}

async function waitUntilReady(options) {
  const paths = layout(options.dir);
  const state = await waitFor(
    async () => (livePid(paths.pidFile) ? (await clamdAnswers(options)) && 'ready' : 'exited'),
    {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: logHint(paths.log, `clamd did not answer PING on ${addressOf(options)} within 60 s`),
    },
  );
  if (state === 'exited') {
    throw new LocalServiceError(
      logHint(paths.log, `clamd stopped while starting: ${lastLogLine(paths.log)}`),
    );
  }
}

export const stopClamd = (options) => stopPid(layout(options.dir).pidFile);

/** Stops clamd and deletes its folder. */
export async function resetClamd(options) {
  await stopClamd(options);
  rmSync(layout(options.dir).home, { recursive: true, force: true });
  rmSync(options.dir, { recursive: true, force: true });
}
