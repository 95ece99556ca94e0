import { execFileSync } from 'node:child_process';
import { ROOT, startAll } from './servers';

/** The throwaway clamd every API here shares. */
const CLAMAV_FLAGS = ['--dir', 'tmp/web-e2e-clamav', '--port', '7512'];

/** Runs tools/local-clamav with the flags above; its output. */
export function localClamav(command: 'start' | 'env' | 'reset'): string {
  return execFileSync(process.execPath, ['tools/local-clamav/local-clamav.mjs', command, ...CLAMAV_FLAGS], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/**
 * clamd first: the APIs that startAll spawns inherit this process's environment, CLAMD_URL with
 * it.
 */
export default async function globalSetup(): Promise<void> {
  localClamav('start');
  process.env['CLAMD_URL'] = localClamav('env')
    .trim()
    .replace(/^CLAMD_URL=/, '');
  await startAll();
}
