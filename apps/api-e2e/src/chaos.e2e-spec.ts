import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './support/gateway';

// `npm run chaos -- --quick`, the short form of the fault test: three built instances behind
// nginx, with a PostgreSQL, identity provider, clamd and Redis of its own (ports 7550–7563 and
// tmp/chaos-* folders, all this spec's) and the test gateway, while a client uploads through an
// instance's SIGKILL, another's drain, PostgreSQL's restart, Redis stopped and frozen, and clamd
// stopped. The tool checks the database and the bucket itself; this spec asserts those counts,
// never a duration.
const OUT = 'tmp/chaos-e2e';
const FOLDERS = ['tmp/chaos-cluster', 'tmp/chaos-pg', 'tmp/chaos-redis', 'tmp/chaos-clamav', 'tmp/chaos-idp'];
const PORTS = [7550, 7551, 7552, 7553, 7557, 7558, 7559, 7560, 7561, 7562, 7563];
const FAULTS = ['kill', 'drain', 'pg', 'redis-stop', 'redis-freeze', 'clamd'];

interface Check {
  name: string;
  passed: boolean;
  failures: string[];
}

interface Result {
  passed: boolean;
  uploads: { begun: number; done: number; multipart: number; failed: number };
  checks: Check[];
  faults: { id: string; requests: number; disallowed: number }[];
  redis: { phase: string; loop: { p99: number | null; max: number | null } }[];
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('the fault test (npm run chaos -- --quick)', () => {
  let child: ChildProcess | undefined;
  let code: number | null = null;
  let output = '';
  let result: Result;

  beforeAll(async () => {
    rmSync(join(ROOT, OUT), { recursive: true, force: true });
    // The script `npm run chaos` runs, without npm between: a signal from afterAll reaches it.
    const started = spawn(
      process.execPath,
      [
        '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
        'tools/chaos/chaos.mjs',
        '--quick',
        '--skip-build',
        '--out',
        OUT,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    started.stdout?.on('data', (chunk) => (output += chunk));
    started.stderr?.on('data', (chunk) => (output += chunk));
    code = await new Promise<number | null>((resolve) => started.once('exit', resolve));
    const file = existsSync(join(ROOT, OUT))
      ? readdirSync(join(ROOT, OUT)).find((name) => /^chaos-\w+\.json$/.test(name))
      : undefined;
    if (!file) throw new Error(`the fault test wrote no result (exit ${code}):\n${output.slice(-6000)}`);
    result = JSON.parse(readFileSync(join(ROOT, OUT, file), 'utf8'));
  }, 420_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    // Whatever a run killed outright left: the cluster, its services, their folders.
    await new Promise((resolve) =>
      execFile(process.execPath, ['tools/chaos/chaos.mjs', 'cleanup'], { cwd: ROOT }, resolve),
    );
    rmSync(join(ROOT, OUT), { recursive: true, force: true });
  }, 120_000);

  it('should pass every end check, and exit 0', () => {
    const failed = result.checks
      .filter((c) => !c.passed)
      .map((c) => ({ name: c.name, failures: c.failures.slice(0, 10) }));
    // The tool's tables and log say which fault and which upload; they are deleted with OUT.
    if (failed.length) console.log(output.slice(-12_000));
    expect(failed).toEqual([]);
    expect(code).toBe(0);
  });

  it('should have run each check: done uploads, keys, bucket, windows, faults', () => {
    const names = result.checks.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'every upload held as done is available, with what was sent',
        'no Idempotency-Key made two records',
        'no object in the bucket lacks a live record',
        'no 5xx or unanswered request outside a fault window',
        'no instance crashed',
        'PostgreSQL down: creates get 503 within 10 s, then succeed',
        'clamd down: uploads wait in scanning, then settle',
      ]),
    );
  });

  it('should finish uploads in a POST and in parts, none failed', () => {
    expect(result.uploads.done).toBeGreaterThan(0);
    expect(result.uploads.multipart).toBe(1);
    expect(result.uploads.failed).toBe(0);
    expect(result.uploads.done).toBe(result.uploads.begun);
  });

  it('should have clients at work during every fault, none seeing a 5xx the fault does not allow', () => {
    expect(result.faults.map((f) => f.id)).toEqual(FAULTS);
    for (const fault of result.faults) {
      expect({ id: fault.id, busy: fault.requests > 0, disallowed: fault.disallowed }).toEqual({
        id: fault.id,
        busy: true,
        disallowed: 0,
      });
    }
  });

  it("should report the instances' event-loop delay beside the latencies, with Redis up and out", () => {
    expect(result.redis.map((r) => r.phase)).toEqual([
      'Redis up (the gap before it was stopped)',
      'Redis stopped',
      'Redis frozen (SIGSTOP)',
    ]);
    for (const { loop } of result.redis) {
      expect(loop.max).toEqual(expect.any(Number));
      expect(loop.max).toBeGreaterThanOrEqual(loop.p99 ?? Infinity);
    }
  });

  it('should leave no folder of its own and free every port it used', async () => {
    expect(FOLDERS.filter((folder) => existsSync(join(ROOT, folder)))).toEqual([]);
    const taken = [];
    for (const port of PORTS) if (!(await portFree(port))) taken.push(port);
    expect(taken).toEqual([]);
  });
});
