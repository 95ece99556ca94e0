// The instances' event-loop delay, read from their metrics ports once a second, and how long
// each waited for a core. prom-client measures the delay with `monitorEventLoopDelay` and starts
// afresh at each scrape, so each sample's p99 and max cover the second before it. A delay is
// either the instance's own work holding its loop, or the process waiting for a core while it
// had work to do: the kernel counts that wait in /proc/<pid>/schedstat (its second field, in ns).
import { readFileSync } from 'node:fs';

const EVERY_MS = 1_000;
const SERIES = { p99: 'nodejs_eventloop_lag_p99_seconds', max: 'nodejs_eventloop_lag_max_seconds' };

/** One value of the Prometheus text `text`, in milliseconds; NaN when it is not there. */
function valueOf(text, series) {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) * 1000 : Number.NaN;
}

/** Nanoseconds the process has spent runnable but waiting for a core; undefined once it is gone. */
function runQueueWaitNs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return undefined;
  }
}

export class LoopLag {
  /** Samples `{ at, instance, p99, max, waitMs }`, in ms; an instance that did not answer has none. */
  samples = [];
  /** The run-queue wait last read, by pid. */
  waits = new Map();

  /** `metricsPorts[i]` and `pids()[i]` are instance i's (its pid changes when it restarts). */
  constructor(metricsPorts, pids) {
    this.ports = metricsPorts;
    this.pids = pids;
    this.timer = setInterval(() => void this.sample(), EVERY_MS);
  }

  async sample() {
    const pids = this.pids();
    await Promise.all(
      this.ports.map(async (port, instance) => {
        const waitMs = this.waitSinceLast(pids[instance]);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
            signal: AbortSignal.timeout(EVERY_MS),
          });
          const text = await response.text();
          this.samples.push({
            at: Date.now(),
            instance,
            p99: valueOf(text, SERIES.p99),
            max: valueOf(text, SERIES.max),
            waitMs,
          });
        } catch {
          // Killed, draining or restarting: that instance has no sample for this second.
        }
      }),
    );
  }

  /** Milliseconds `pid` waited for a core since it was last read; NaN on its first reading. */
  waitSinceLast(pid) {
    const now = pid ? runQueueWaitNs(pid) : undefined;
    const before = this.waits.get(pid);
    if (now !== undefined) this.waits.set(pid, now);
    return now !== undefined && before !== undefined ? (now - before) / 1e6 : Number.NaN;
  }

  /** Stops sampling; the samples taken. */
  stop() {
    clearInterval(this.timer);
    return this.samples;
  }
}

/** The worst second's delay (p99, max) and wait for a core from `from` to `to` (epoch ms), over every instance. */
export function worstLag(samples, from, to) {
  // A sample covers the second before it was taken.
  const within = samples.filter((s) => s.at > from && s.at - EVERY_MS < to);
  const worst = (key) => {
    const values = within.map((s) => s[key]).filter((v) => !Number.isNaN(v));
    return values.length ? Math.max(...values) : Number.NaN;
  };
  return { p99: worst('p99'), max: worst('max'), waitMs: worst('waitMs') };
}
