// CPU time by process over a stretch of the bench: the gateway's daemons, the API, PostgreSQL,
// clamd and the bench itself (the client), from /proc/<pid>/stat (user + system time of all its threads).
// On a machine whose cores they all share, a path that is slower than another for the same files
// is usually one that asks more CPU of them; this says whose.
import { readdirSync, readFileSync } from 'node:fs';
import { spread } from './stats.mjs';

/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux the bench runs on. */
const TICKS_PER_SECOND = 100;

const GATEWAY = new Set(['radosgw', 'ceph-osd', 'ceph-mon', 'ceph-mgr']);

/** Each live process by pid: its command name, its parent's pid and the CPU seconds it has used. */
export function processes() {
  const seen = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // it exited meanwhile
    }
    // The command name is in parentheses and may hold spaces; the fields after it are numbered
    // from 3 (state): ppid is field 4, utime 14, stime 15.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    seen.set(Number(pid), {
      name: stat.slice(stat.indexOf('(') + 1, close),
      ppid: Number(fields[1]),
      seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    });
  }
  return seen;
}

function groupOf(pid, name, apiPid) {
  if (pid === apiPid) return 'api';
  if (pid === process.pid) return 'bench';
  if (GATEWAY.has(name)) return 'gateway';
  if (name === 'postgres' || name === 'clamd') return name;
  return undefined;
}

/**
 * Starts counting; `stop()` returns the CPU seconds used since by the gateway, the API (the
 * process `apiPid`), PostgreSQL, clamd and the bench. A process that ends in between is not counted
 * (the ones measured here live through the whole stretch).
 */
export function cpuMeter(apiPid) {
  const before = processes();
  return {
    stop() {
      const used = { gateway: 0, api: 0, postgres: 0, clamd: 0, bench: 0 };
      for (const [pid, { name, seconds }] of processes()) {
        const group = groupOf(pid, name, apiPid);
        if (group) used[group] += seconds - (before.get(pid)?.seconds ?? 0);
      }
      return used;
    },
  };
}

/** Each group's median CPU over the rounds' `usages`, in milliseconds per file of `count`. */
export function perFile(usages, count) {
  return Object.fromEntries(
    Object.keys(usages[0]).map((group) => [
      group,
      (spread(usages.map((used) => used[group])).median * 1000) / count,
    ]),
  );
}
