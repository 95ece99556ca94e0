import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, clamdEnv, databaseEnv, gatewayEnv, identityEnv } from './gateway';

export interface RunningApi {
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM (unless it has ended) and resolves with how it ended. */
  stop(): Promise<ApiExit>;
}

/** How the process ended: its exit code, or the signal that killed it. */
export interface ApiExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Starts the built API, as `npm start` runs it, on a free port, against the test gateway, the
 * test identity provider, the test database and the test clamd.
 */
export async function startApi(overrides: Record<string, string> = {}): Promise<RunningApi> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...gatewayEnv,
      ...apiIdentity(),
      ...databaseEnv,
      ...clamdEnv,
      WEBHOOK_SECRETS_KEY: WEBHOOK_TEST_KEY,
      PORT: '0',
      LOG_LEVEL: 'info',
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', () => {
      const match = /"port":(\d+),"msg":"Dropgate API listening/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code}:\n${output}`));
    });
  });
  return { baseUrl: `http://127.0.0.1:${port}`, output: () => output, stop: () => stop(child) };
}

/** Runs the API expecting it to refuse to start; resolves with its exit code and output. */
export function runApiExpectingFailure(overrides: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...gatewayEnv,
      ...apiIdentity(),
      ...databaseEnv,
      ...clamdEnv,
      WEBHOOK_SECRETS_KEY: WEBHOOK_TEST_KEY,
      PORT: '0',
      ...overrides,
    };
    for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete env[name];
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    // 'close', not 'exit': by then everything the process wrote has been read.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function stop(child: ChildProcess): Promise<ApiExit> {
  // A process that ended by a signal (killed outright) has a signalCode and no exitCode.
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    // 'close', not 'exit': by then everything the process wrote has been read.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.kill('SIGTERM');
  });
}

/** Seals the test endpoints' secrets (a fixed key, for these throwaway databases only). */
export const WEBHOOK_TEST_KEY = Buffer.alloc(32, 7).toString('base64');

/** What the API reads to trust the test provider (not the provider's own client secret). */
function apiIdentity(): Record<string, string> {
  const { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID } = identityEnv;
  return { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID };
}
