import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { WEBHOOK_TEST_KEY } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { ROOT, clamdEnv, gatewayEnv, identityEnv } from './support/gateway';
import { serviceToken } from './support/http';

// tools/cluster: two built API instances behind Debian's nginx, with a Redis the tool starts
// itself, against the test gateway, provider, database and clamd. Ports 7540–7545 are this
// spec's; metrics are off, so that no third range is needed.
const DIR = 'tmp/cluster-tool-test';
const PUBLIC = 7540;
const BASE = `http://127.0.0.1:${PUBLIC}`;
const REDIS = ['--dir', 'tmp/cluster-tool-redis', '--port', '7545'];
const DB = 'cluster_tool';
const FLAGS = [
  '--instances',
  '2',
  '--port',
  String(PUBLIC),
  '--instance-port',
  '7541',
  '--metrics-port',
  'off',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface Status {
  running: boolean;
  /** `prefix`: nginx's folder, which is not under DIR when a parent folder is closed to nobody. */
  nginx: { pid: number; prefix: string };
  instances: { name: string; port: number; pid: number | null; ready: boolean; inNginx: boolean }[];
}

let env: NodeJS.ProcessEnv;

const tool = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      ['tools/cluster/cluster.mjs', ...args],
      { cwd: ROOT, env, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const status = async () => JSON.parse((await tool('status', '--json', '--dir', DIR)).stdout) as Status;

/**
 * One request on a connection of its own. nginx 1.22 closes idle keep-alive connections from
 * clients whenever it reloads, and a request sent on one at that instant is never read (2 to 4
 * a reload with eight busy keep-alive clients; browsers send such a request again). This spec
 * counts what nginx and the instances answer, so its clients do not reuse connections.
 */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${BASE}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const instanceLogs = () =>
  [1, 2].map((n) => {
    const file = join(ROOT, DIR, 'logs', `api-${n}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  });

/** The instance logs once every id is in one of them (an instance logs after it answers). */
async function logsWith(ids: string[]): Promise<string[]> {
  for (let tries = 0; ; tries++) {
    const logs = instanceLogs();
    if (ids.every((id) => logs.some((log) => log.includes(`"requestId":"${id}"`))) || tries === 50)
      return logs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const isAlive = (pid: number) => existsSync(`/proc/${pid}`);

describe('tools/cluster', () => {
  let cluster: ChildProcess;
  let output = '';

  beforeAll(async () => {
    const { OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID } = identityEnv;
    env = {
      ...process.env,
      ...gatewayEnv,
      OIDC_ISSUER,
      OIDC_AUDIENCE,
      OIDC_CLIENT_ID,
      DATABASE_URL: await emptyDatabase(DB),
      ...clamdEnv,
      WEBHOOK_SECRETS_KEY: WEBHOOK_TEST_KEY,
      // The stream below creates uploads faster than any real client may.
      RATE_LIMIT_MAX: '1000000',
      LOCAL_REDIS_DIR: REDIS[1],
      LOCAL_REDIS_PORT: REDIS[3],
    };
    delete env.REDIS_URL;
    cluster = spawn(
      process.execPath,
      ['tools/cluster/cluster.mjs', ...FLAGS, '--drain-seconds', '1', '--dir', DIR, '--skip-build'],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cluster.stdout?.on('data', (chunk) => (output += chunk));
    cluster.stderr?.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cluster did not start:\n${output}`)), 150_000);
      const check = () => {
        if (!output.includes(`cluster ready: http://localhost:${PUBLIC}`)) return;
        clearTimeout(timer);
        resolve();
      };
      cluster.stdout?.on('data', check);
      cluster.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`cluster exited with ${code}:\n${output}`));
      });
    });
  }, 180_000);

  afterAll(async () => {
    if (cluster && cluster.exitCode === null && cluster.signalCode === null) {
      const exited = new Promise((resolve) => cluster.once('exit', resolve));
      cluster.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) =>
      execFile(
        process.execPath,
        ['tools/local-redis/local-redis.mjs', 'reset', ...REDIS],
        { cwd: ROOT },
        resolve,
      ),
    );
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
    await dropDatabase(DB);
  }, 120_000);

  it('should send requests to both instances, with the caller’s X-Request-Id there and back', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `cluster-tool-${i}`);
    for (const id of ids) {
      const answer = await send('GET', '/api/health', { 'x-request-id': id });
      expect([answer.status, answer.headers['x-request-id']]).toEqual([200, id]);
    }
    const logs = await logsWith(ids);
    // Each instance logged some of them, and together all of them, each once.
    const counts = logs.map((log) => ids.filter((id) => log.includes(`"requestId":"${id}"`)).length);
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(counts[0] + counts[1]).toBe(ids.length);
  });

  it('should give a request without a usable id one of nginx’s, the same on both sides', async () => {
    for (const headers of [{}, { 'x-request-id': 'not an id; it has spaces' }] as Record<string, string>[]) {
      const answer = await send('GET', '/api/health', headers);
      const id = String(answer.headers['x-request-id']);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect((await logsWith([id])).some((log) => log.includes(`"requestId":"${id}"`))).toBe(true);
    }
  });

  it('should answer 404 for /metrics on the public port without asking an instance', async () => {
    const paths = ['/metrics', '/metrics?name=x', '//metrics', '/%6detrics', '/metrics/'];
    for (const [i, path] of paths.entries()) {
      const answer = await send('GET', path, { 'x-request-id': `cluster-tool-metrics-${i}` });
      expect([path, answer.status]).toEqual([path, 404]);
    }
    // A request an instance answered is in its log by now (the health call's id proves it).
    const logs = await logsWith([String((await send('GET', '/api/health')).headers['x-request-id'])]);
    expect(logs.join('').match(/cluster-tool-metrics/g)).toBeNull();
  });

  it('should report both instances ready and in nginx', async () => {
    const state = await status();
    expect(state.running).toBe(true);
    expect(state.instances.map(({ port, ready, inNginx }) => ({ port, ready, inNginx }))).toEqual([
      { port: 7541, ready: true, inNginx: true },
      { port: 7542, ready: true, inNginx: true },
    ]);
  });

  it('should refuse a second cluster on a taken port, naming the flag, and start nothing', async () => {
    const run = await tool(...FLAGS, '--instance-port', '7543', '--dir', `${DIR}-2`, '--skip-build');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `port ${PUBLIC} on 127.0.0.1 is already in use; free it or choose another with --port`,
    );
    expect(existsSync(join(ROOT, `${DIR}-2`))).toBe(false);
  });

  it('should name the fix for an unknown flag or a missing instance', async () => {
    const unknown = await tool('--instnaces', '2');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--instnaces'; see `npm run cluster -- --help`/);
    const missing = await tool('restart', '3', '--dir', DIR);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no instance 3: this cluster has 1 to 2');
  });

  it('should restart both instances one at a time while a stream of requests loses none', async () => {
    const before = await status();
    const token = serviceToken();
    const failures: string[] = [];
    const answered = { GET: 0, POST: 0, duringRestart: 0 };
    let restarting = true;
    const stream = async (method: 'GET' | 'POST') => {
      for (let i = 0; restarting; i++) {
        const answer = await (
          method === 'GET'
            ? send('GET', '/api/health')
            : send(
                'POST',
                '/api/uploads',
                { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                JSON.stringify({ fileName: `stream-${i}.txt`, contentType: 'text/plain', size: 10 }),
              )
        ).catch((error: Error) => ({ status: 0, text: error.message }));
        if (answer.status < 200 || answer.status > 299)
          failures.push(`${method} ${answer.status} ${answer.text}`);
        answered[method]++;
        if (restarting) answered.duringRestart++;
      }
    };
    const clients = (['GET', 'GET', 'GET', 'POST', 'POST', 'POST'] as const).map(stream);
    const run = await tool('restart', 'all', '--dir', DIR);
    restarting = false;
    await Promise.all(clients);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    // Exactly this order: each instance out, stopped, ready, back in, before the next is touched.
    const steps = run.stdout
      .trim()
      .split('\n')
      .map((line) =>
        /^dropgate: (api-\d): (out of nginx|stopped|ready again|back in nginx)/
          .exec(line)
          ?.slice(1)
          .join(' '),
      );
    expect(steps).toEqual(
      ['api-1', 'api-2'].flatMap((name) =>
        ['out of nginx', 'stopped', 'ready again', 'back in nginx'].map((step) => `${name} ${step}`),
      ),
    );
    expect(failures).toEqual([]);
    expect(answered.GET).toBeGreaterThan(50);
    expect(answered.POST).toBeGreaterThan(50);
    expect(answered.duringRestart).toBeGreaterThan(100);

    // Every request nginx received was answered by an instance, never by nginx's own 502.
    const after = await status();
    const access = readFileSync(join(after.nginx.prefix, 'access.log'), 'utf8');
    expect(access.match(/" 5\d\d /g)).toBeNull();
    expect(readFileSync(join(after.nginx.prefix, 'error.log'), 'utf8')).not.toContain('no live upstreams');

    expect(after.instances.map(({ ready, inNginx }) => ({ ready, inNginx }))).toEqual([
      { ready: true, inNginx: true },
      { ready: true, inNginx: true },
    ]);
    for (const [n, instance] of after.instances.entries()) {
      expect(instance.pid).not.toBe(before.instances[n].pid);
      expect(isAlive(before.instances[n].pid as number)).toBe(false);
    }
  }, 240_000);

  it('should stop everything it started on SIGTERM', async () => {
    const state = await status();
    const exited = new Promise<number | null>((resolve) => cluster.once('exit', resolve));
    cluster.kill('SIGTERM');
    expect(await exited).toBe(0);
    const pids = [state.nginx.pid, ...state.instances.map((instance) => instance.pid as number)];
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(join(ROOT, DIR, 'state.json'))).toBe(false);
    expect(output).toContain('stopped the local Redis');
    expect((await tool('status', '--dir', DIR)).code).toBe(3);
  }, 120_000);
});
