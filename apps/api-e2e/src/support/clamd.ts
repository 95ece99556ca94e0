import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './gateway';

/** A clamd of a spec's own (tools/local-clamav), which the spec may stop, freeze or kill. */
export function privateClamd(name: string, port: number, maxBytes?: number) {
  const dir = `tmp/${name}`;
  const flags = [
    '--dir',
    dir,
    '--port',
    String(port),
    ...(maxBytes ? ['--max-bytes', String(maxBytes)] : []),
  ];
  const tool = (command: 'start' | 'stop' | 'reset') =>
    execFileSync(process.execPath, ['tools/local-clamav/local-clamav.mjs', command, ...flags], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  return {
    url: `tcp://127.0.0.1:${port}`,
    start: () => tool('start'),
    stop: () => tool('stop'),
    reset: () => tool('reset'),
    /** Sends a signal to the running clamd (SIGSTOP freezes it, SIGKILL kills it mid-scan). */
    signal: (signal: NodeJS.Signals) =>
      process.kill(Number(readFileSync(join(ROOT, dir, 'run', 'clamd.pid'), 'utf8').trim()), signal),
  };
}
