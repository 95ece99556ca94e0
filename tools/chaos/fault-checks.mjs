// What each fault must show beyond its window's statuses: the kill's cut calls succeeded on a
// retry, PostgreSQL's outage answered creates 503 within 10 s and then served them, and uploads
// completed while clamd was down waited in `scanning` and were never offered unscanned.
import { PROBE_ROUTE } from './probe.mjs';

const check = (name, failures, detail) => ({ name, passed: failures.length === 0, failures, detail });

/** The checks particular to the kill, PostgreSQL's restart and clamd's stop, by their windows. */
export function faultChecks(client, windows) {
  const checks = [];
  const kill = windows.find((w) => w.id === 'kill');
  if (kill) {
    // Each call that got a 5xx (or nothing) in the kill's window, and how its last attempt ended.
    const cut = new Set(
      client.answers
        // The probe is a gauge, not a careful client: it never retries.
        .filter((a) => a.route !== PROBE_ROUTE)
        .filter(
          (a) => (a.status === 0 || a.status >= 500) && a.at + a.ms >= kill.start && a.at + a.ms <= kill.end,
        )
        .map((a) => a.call),
    );
    const last = new Map(client.answers.filter((a) => cut.has(a.call)).map((a) => [a.call, a]));
    const unretried = [...last.values()].filter((a) => a.status < 200 || a.status >= 300);
    // A complete cut mid-way holds its key in flight (409) until the key's lease runs out.
    const slowest = Math.max(0, ...[...last.values()].map((a) => a.at + a.ms - kill.start));
    checks.push(
      check(
        'SIGKILL: every call the kill cut succeeded on a retry',
        unretried.map((a) => `${a.route}: ended ${a.status || 'unanswered'} after ${a.attempt} attempts`),
        `${cut.size} calls cut, the last done ${(slowest / 1000).toFixed(1)} s after the kill`,
      ),
    );
  }
  const pg = windows.find((w) => w.id === 'pg');
  if (pg) {
    const during = client.answers.filter((a) => a.at >= pg.outage.from && a.at <= pg.outage.to);
    const slow = during.filter((a) => a.status === 0 || a.ms > 10_000);
    const creates = during.filter((a) => a.route === 'POST /api/uploads');
    const notRefused = creates.filter((a) => a.status !== 503);
    const recovered = client.answers.some(
      (a) => a.route === 'POST /api/uploads' && a.status === 201 && a.at >= pg.recovered,
    );
    checks.push(
      check(
        'PostgreSQL down: creates get 503 within 10 s, then succeed',
        [
          ...slow.map((a) => `${a.route}: ${a.status || 'no answer'} after ${Math.round(a.ms)} ms`),
          ...notRefused.map((a) => `a create answered ${a.status || 'nothing'} while the database was down`),
          ...(creates.length ? [] : ['no create was sent while the database was down']),
          ...(recovered ? [] : ['no create succeeded after the database was back']),
        ],
        `${during.length} answers during the outage, ${creates.length} to creates, ${during.filter((a) => a.status === 503).length} × 503`,
      ),
    );
  }
  const clamd = windows.find((w) => w.id === 'clamd');
  if (clamd) {
    // Seen in `scanning` after clamd had been down a second (a scan under way at the stop has
    // ended by then), and before it was back.
    const waited = [...client.done, ...client.failed].filter(
      (u) => u.lastScanningAt >= clamd.outage.from + 1000 && u.firstScanningAt <= clamd.outage.to,
    );
    const early = waited
      .filter((u) => u.availableAt < clamd.outage.to)
      .map((u) => `${u.id}: available while clamd was down`);
    const unsettled = waited.filter((u) => !u.availableAt).map((u) => `${u.fileName}: ${u.error}`);
    checks.push(
      check(
        'clamd down: uploads wait in scanning, then settle',
        [
          ...early,
          ...unsettled,
          ...(waited.length ? [] : ['no upload was seen in scanning while clamd was down']),
        ],
        `${waited.length} uploads seen in scanning while clamd was down`,
      ),
    );
  }
  return checks;
}
