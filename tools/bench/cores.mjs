// Where each process of a run goes: servers under test on one core, the load generator on the
// other, so that neither steals the other's time. Without taskset, or on one core, nothing is pinned.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const CORES = { load: 0, server: 1 };

export const canPin = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return cpus().length >= 2;
  } catch {
    return false;
  }
})();

/** `[command, args]` that run `command` on the core of `role` ('load' or 'server'). */
export function pinned(role, command, args) {
  return canPin ? ['taskset', ['-c', String(CORES[role]), command, ...args]] : [command, args];
}
