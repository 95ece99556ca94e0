// The fault test's tables: one row per fault (what the client saw in its window), Redis's answer
// latencies while it was stopped and frozen, and the end checks.
import { worstLag } from './loop-lag.mjs';
import { PROBE_ROUTE } from './probe.mjs';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** Answers to requests sent from `from` to `to`. */
const inWindow = (answers, from, to) => answers.filter((a) => a.at >= from && a.at <= to);
/** Answers that came from `from` to `to`, whenever sent: what a window holds. */
const cameIn = (answers, from, to) => answers.filter((a) => a.at + a.ms >= from && a.at + a.ms <= to);

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Latency figures of the answers (unanswered requests left out: they have none). */
export function latency(answers) {
  const ms = answers
    .filter((a) => a.status !== 0)
    .map((a) => a.ms)
    .sort((a, b) => a - b);
  return {
    count: ms.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? NaN,
    over150: ms.filter((v) => v > 150).length,
  };
}

const statusList = (answers) =>
  [...Map.groupBy(answers, (a) => a.status || 'no answer').entries()]
    .map(([status, list]) => `${status} × ${list.length}`)
    .join(', ');

/** What one fault's window holds, and the figures particular to that fault. */
export function windowFigures(window, client) {
  const answers = cameIn(client.answers, window.start, window.end);
  const errors = answers.filter((a) => a.status === 0 || a.status >= 500);
  const disallowed = errors.filter((a) => !window.allowed.includes(a.status));
  return {
    id: window.id,
    fault: window.fault,
    expected: window.expected,
    windowSeconds: (window.end - window.start) / 1000,
    grace: window.grace,
    requests: answers.length,
    retries: answers.filter((a) => a.attempt > 1).length,
    errors: errors.length,
    errorStatuses: statusList(errors),
    disallowed: disallowed.length,
    maxMs: Math.max(0, ...answers.map((a) => a.ms)),
    notes: notesFor(window, client, errors),
  };
}

const msText = (value) => `${Math.max(0, Math.round(value))} ms`;

function notesFor(window, client, errors) {
  const { from, to } = window.outage;
  const came = (a) => a.at + a.ms;
  switch (window.id) {
    case 'kill': {
      const last = errors.at(-1);
      return last ? `last 5xx ${msText(came(last) - window.start)} after the kill` : 'no 5xx';
    }
    case 'pg': {
      const first503 = client.answers.find((a) => a.status === 503 && came(a) >= window.start);
      const creates = inWindow(client.answers, from, to).filter((a) => a.route === 'POST /api/uploads');
      const create = client.answers.find(
        (a) => a.route === 'POST /api/uploads' && a.status === 201 && a.at >= to,
      );
      return [
        first503 ? `first 503 ${msText(came(first503) - window.start)} after the stop began` : 'no 503',
        `creates while down: ${statusList(creates) || 'none'}, slowest ${msText(Math.max(0, ...creates.map((a) => a.ms)))}`,
        create ? `first create OK ${msText(came(create) - to)} after PostgreSQL was back` : 'no create after',
      ].join('; ');
    }
    case 'redis-stop':
    case 'redis-freeze': {
      const figures = latency(inWindow(client.answers, from, to));
      return `while ${window.id === 'redis-stop' ? 'stopped' : 'frozen'}: p99 ${ms(figures.p99)} ms, max ${ms(figures.max)} ms`;
    }
    case 'clamd': {
      const waited = client.done.filter((u) => u.lastScanningAt >= from + 1000 && u.firstScanningAt <= to);
      const last = Math.max(0, ...waited.map((u) => u.availableAt - to));
      return `${waited.length} uploads waited in scanning; the last available ${seconds(last)} after clamd was back`;
    }
    default:
      return '';
  }
}

/**
 * Latency rows: Redis up (the quiet gap before it was stopped), then Redis stopped, and frozen;
 * the probe's answers, and for comparison the upload client's.
 */
export function redisLatency(windows, seen, lag = []) {
  const stop = windows.findIndex((w) => w.id === 'redis-stop');
  if (stop < 0) return [];
  const phases = [
    ['Redis up (the gap before it was stopped)', windows[stop - 1]?.end ?? 0, windows[stop].start],
  ];
  for (const window of windows.filter((w) => w.id.startsWith('redis'))) {
    const name = window.id === 'redis-stop' ? 'Redis stopped' : 'Redis frozen (SIGSTOP)';
    phases.push([name, window.outage.from, window.outage.to]);
  }
  return phases.map(([phase, from, to]) => {
    const answers = inWindow(seen.answers, from, to);
    const errors = answers.filter((a) => a.status === 0 || a.status >= 500).length;
    return {
      phase,
      seconds: (to - from) / 1000,
      probe: latency(answers.filter((a) => a.route === PROBE_ROUTE)),
      client: latency(answers.filter((a) => a.route !== PROBE_ROUTE)),
      loop: worstLag(lag, from, to),
      errors,
    };
  });
}

const row = (cells) => `| ${cells.join(' | ')} |`;
const ms = (value) => (Number.isNaN(value) ? '–' : value.toFixed(0));

/** How hard the clients pushed: back to back, or paced. */
const loadLine = ({ workers, everyMs }) =>
  everyMs
    ? `Load: ${workers} clients, each starting an upload at most every ${seconds(everyMs)} (at most ${(workers / (everyMs / 1000)).toFixed(1)} a second).`
    : `Load: ${workers} clients, each starting its next upload as soon as the last one is done.`;

/** The whole report as markdown. */
export function markdown(result) {
  const lines = [
    `### Fault test (${result.mode}): ${result.uploads.done} uploads done (${result.uploads.multipart} multipart), ${result.answers} API answers, ${seconds(result.durationMs)}`,
    '',
    loadLine(result.settings),
    '',
    `Requests: every API answer that came in the window, the upload client's and the probe's. Window: from the fault to the service's recovery, plus ${result.grace.kill} s after an instance's SIGKILL and ${result.grace.pg} s after PostgreSQL's restart (answers already under way); 5xx are allowed only inside the windows of those two.`,
    '',
    row([
      'fault',
      'expected',
      'window',
      'requests',
      'retries',
      '5xx / no answer',
      'max latency',
      'figures',
      'met',
    ]),
    row(['---', '---', '---:', '---:', '---:', '---', '---:', '---', '---']),
    ...result.faults.map((f) =>
      row([
        f.fault,
        f.expected,
        seconds(f.windowSeconds * 1000),
        f.requests,
        f.retries,
        f.errors ? f.errorStatuses : '0',
        `${ms(f.maxMs)} ms`,
        f.notes,
        f.met ? 'yes' : '**no**',
      ]),
    ),
    '',
    "Answer latencies (ms) while Redis was out: a figure, not a check. The probe sends GET /api/uploads/config (authentication and the rate limit only) every 50 ms from a thread of its own; the upload client's own figures include its thread hashing and generating files. Event-loop delay: the instances' own (`monitorEventLoopDelay`, read from their metrics ports each second); waited for a core: the time an instance was runnable but not running (`/proc/<pid>/schedstat`); each the worst second of any instance in the phase.",
    '',
    row([
      'phase',
      'length',
      'probe answers',
      'p50',
      'p99',
      'max',
      'over 150 ms',
      'client p99',
      'client max',
      'event-loop delay p99 / max',
      'waited for a core',
      '5xx',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...result.redis.map((r) =>
      row([
        r.phase,
        seconds(r.seconds * 1000),
        r.probe.count,
        ms(r.probe.p50),
        ms(r.probe.p99),
        ms(r.probe.max),
        r.probe.over150,
        ms(r.client.p99),
        ms(r.client.max),
        r.loop ? `${ms(r.loop.p99)} / ${ms(r.loop.max)}` : '–',
        r.loop ? `${ms(r.loop.waitMs)} ms/s` : '–',
        r.errors,
      ]),
    ),
    '',
    row(['end check', 'result', 'detail']),
    row(['---', '---', '---']),
    ...result.checks.map((c) =>
      row([
        c.name,
        c.passed ? 'pass' : `**FAIL** (${c.failures.length})`,
        [c.detail, ...c.failures.slice(0, 3)].join('; ').replaceAll('|', '\\|'),
      ]),
    ),
  ];
  if (result.awaitingSweep.length) {
    const last = Math.max(...result.awaitingSweep.map((o) => new Date(o.sweepAfter).getTime()));
    lines.push(
      '',
      `${result.awaitingSweep.length} staged objects of settled uploads await the staging sweep (all due by ${new Date(last).toISOString()}): each has a live record with its sweep scheduled for a minute after its policy expires, when no saved policy can write it again.`,
    );
  }
  return lines.join('\n');
}
