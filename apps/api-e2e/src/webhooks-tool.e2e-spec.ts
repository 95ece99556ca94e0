import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpoint,
  type WebhookEndpointPage,
} from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { ROOT } from './support/gateway';
import { bytes, call, sendFile, serviceToken, userToken } from './support/http';

// tools/webhooks (`npm run webhooks -- listen`): the real tool, in its own process, against a
// real API with loopback allowed, as a developer runs it. Its secrets go to a folder of its own.
const DIR = 'tmp/webhooks-tool-test';
const TOOL = join(ROOT, 'tools/webhooks/webhooks.mjs');

/** A running `webhooks listen`: what it printed so far, and a way to wait for a line. */
class Listener {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], token = serviceToken()) {
    this.child = spawn(process.execPath, [TOOL, 'listen', '--dir', DIR, ...args], {
      cwd: ROOT,
      env: { ...process.env, DROPGATE_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr?.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first match of `pattern` in standard output or error, once it is printed. */
  async waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stderr', timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this[stream]);
      if (match) return match;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no ${pattern} in ${stream}:\n${this.stdout}\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until it has registered and verifies deliveries; the port it listens on. */
  async ready(): Promise<number> {
    await this.waitFor(/^webhooks: ready: /m);
    return Number((await this.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)\/webhooks/))[1]);
  }

  stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** Runs the tool to its end (an API that refuses, bad flags, forget). */
function runTool(args: string[], token = serviceToken()) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [TOOL, ...args],
      { cwd: ROOT, env: { ...process.env, DROPGATE_TOKEN: token }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const endpoints = async (api: RunningApi) =>
  (await call(api.baseUrl, 'GET', '/api/webhooks/endpoints')).json<WebhookEndpointPage>().items;

const secretFile = (port: number) => join(ROOT, DIR, `listen-${port}.json`);
const savedSecret = (port: number): string => JSON.parse(readFileSync(secretFile(port), 'utf8')).secret;

/** Sends the endpoint a webhook.test event and waits for the listener to print it. */
async function testEventArrives(api: RunningApi, listener: Listener, endpoint: WebhookEndpoint) {
  const sent = await call(api.baseUrl, 'POST', `/api/webhooks/endpoints/${endpoint.id}/test`);
  expect(sent.status).toBe(202);
  const { eventId } = sent.json<{ eventId: string }>();
  await listener.waitFor(
    new RegExp(`  webhook\\.test  endpoint ${endpoint.id}  \\(${eventId}\\)$`, 'm'),
    'stdout',
  );
}

describe('tools/webhooks', () => {
  let api: RunningApi;

  beforeAll(async () => {
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
    api = await startApi({
      DATABASE_URL: await emptyDatabase('webhooks_tool'),
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
      RATE_LIMIT_MAX: '100000',
    });
  });
  afterAll(async () => {
    await api.stop();
    await dropDatabase('webhooks_tool');
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
  });

  it("should list exactly the contract's event types (plain .mjs keeps a copy)", () => {
    const listed = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "console.log(JSON.stringify((await import('./tools/webhooks/args.mjs')).EVENT_TYPES))",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(listed)).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it('should register, print a verified upload.available line, reuse the endpoint on restart, and forget it', async () => {
    const first = new Listener(['--api', api.baseUrl, '--port', '0']);
    const port = await first.ready();
    const url = `http://127.0.0.1:${port}/webhooks`;
    expect(first.stderr).toMatch(/^webhooks: registered endpoint [\w-]+; its secret is saved in /m);
    const [endpoint, ...others] = await endpoints(api);
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({ url, eventTypes: [...WEBHOOK_EVENT_TYPES], enabled: true });
    // The secret is kept for the restart, readable by its owner alone.
    expect(statSync(secretFile(port)).mode & 0o777).toBe(0o600);
    expect(endpoint.secretHint.endsWith(savedSecret(port).slice(-4))).toBe(true);

    const file = bytes(2048);
    const { created } = await sendFile(
      api.baseUrl,
      { fileName: 'q3 report.txt', contentType: 'text/plain', size: file.length },
      file,
    );
    const line = await first.waitFor(
      new RegExp(`^(\\S+)  upload\\.available  ${created.id}  q3 report\\.txt  \\((msg_\\w+)\\)$`, 'm'),
      'stdout',
    );
    expect(line[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // A delivery signed with another secret is refused, and said so.
    const body = JSON.stringify({ type: 'webhook.test', timestamp: new Date().toISOString(), data: {} });
    const forged = new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`);
    const answer = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': forged.sign('msg_forged', new Date(), body),
      },
      body,
    });
    expect(answer.status).toBe(400);
    await first.waitFor(
      /^\S+ {2}rejected: bad signature \(No matching signature found\) {2}\(msg_forged\)$/m,
      'stdout',
    );

    expect(await first.stop()).toBe(0);
    expect(first.stderr).toMatch(new RegExp(`endpoint ${endpoint.id} stays registered`));
    expect(first.stderr).not.toMatch(/\n\s+at /);

    // The restart finds the endpoint by its URL and the secret in its file: nothing is rotated.
    const second = new Listener(['--api', api.baseUrl, '--port', String(port)]);
    expect(await second.ready()).toBe(port);
    expect(second.stderr).toContain(`reusing endpoint ${endpoint.id} and its secret saved in`);
    const after = await endpoints(api);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: endpoint.id, secretHint: endpoint.secretHint });
    expect(after[0].previousSecretExpiresAt).toBeUndefined();
    await testEventArrives(api, second, endpoint);
    expect(await second.stop()).toBe(0);

    // Without the file the secret is unknown: rotated once, and saved again.
    rmSync(secretFile(port));
    const third = new Listener(['--api', api.baseUrl, '--port', String(port), '--events', 'webhook.test']);
    await third.ready();
    expect(third.stderr).toContain(
      `reusing endpoint ${endpoint.id}; its secret was unknown here, so it was rotated`,
    );
    const rotated = (await endpoints(api))[0];
    expect(rotated).toMatchObject({ id: endpoint.id, eventTypes: ['webhook.test'] });
    expect(rotated.previousSecretExpiresAt).toBeDefined();
    expect(rotated.secretHint.endsWith(savedSecret(port).slice(-4))).toBe(true);
    await testEventArrives(api, third, endpoint);
    expect(await third.stop()).toBe(0);

    // A second rotation within the grace period is refused: the tool says how to start over.
    rmSync(secretFile(port));
    const fourth = new Listener(['--api', api.baseUrl, '--port', String(port)]);
    expect(await fourth.exited).toBe(1);
    expect(fourth.stderr).toContain('cannot be rotated again yet');
    expect(fourth.stderr).toContain(`npm run webhooks -- forget --port ${port}`);

    const forgot = await runTool(['forget', '--api', api.baseUrl, '--port', String(port), '--dir', DIR]);
    expect(forgot).toMatchObject({
      code: 0,
      stderr: `webhooks: deleted endpoint ${endpoint.id} for ${url}\n`,
    });
    expect(await endpoints(api)).toEqual([]);
  }, 120_000);

  it('should delete its endpoint and secret on exit with --forget', async () => {
    const listener = new Listener(['--api', api.baseUrl, '--port', '0', '--forget']);
    const port = await listener.ready();
    expect(existsSync(secretFile(port))).toBe(true);
    expect(await listener.stop()).toBe(0);
    expect(listener.stderr).toMatch(/^webhooks: stopped; deleted endpoint [\w-]+ and /m);
    expect(await endpoints(api)).toEqual([]);
    expect(existsSync(secretFile(port))).toBe(false);
  });

  it('should name the scope or the token when the API refuses them', async () => {
    const forbidden = await runTool(
      ['listen', '--api', api.baseUrl, '--port', '0', '--dir', DIR],
      userToken('bob'),
    );
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(
      /^webhooks: listening on .*\nwebhooks: the token lacks the webhooks:admin scope/,
    );
    const invalid = await runTool(
      ['listen', '--api', api.baseUrl, '--port', '0', '--dir', DIR],
      'not-a-token',
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('refused the token (401');
    expect(invalid.stderr).toContain('DROPGATE_TOKEN');
  });

  it('should name the setting an API without the loopback allowance or a secrets key needs', async () => {
    const [refusing, keyless] = await Promise.all([
      startApi({
        DATABASE_URL: await emptyDatabase('webhooks_tool_refusing'),
        WEBHOOK_ALLOWED_CIDRS: '10.20.0.0/16',
      }),
      startApi({
        DATABASE_URL: await emptyDatabase('webhooks_tool_keyless'),
        WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
        WEBHOOK_SECRETS_KEY: '',
      }),
    ]);
    try {
      const refused = await runTool(['listen', '--api', refusing.baseUrl, '--port', '0', '--dir', DIR]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('refuses receivers on 127.0.0.1');
      expect(refused.stderr).toContain('WEBHOOK_ALLOWED_CIDRS=127.0.0.0/8');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      const unconfigured = await runTool(['listen', '--api', keyless.baseUrl, '--port', '0', '--dir', DIR]);
      expect(unconfigured.code).toBe(1);
      expect(unconfigured.stderr).toContain('set WEBHOOK_SECRETS_KEY');
    } finally {
      await Promise.all([refusing.stop(), keyless.stop()]);
      await Promise.all([dropDatabase('webhooks_tool_refusing'), dropDatabase('webhooks_tool_keyless')]);
    }
  }, 60_000);

  it('should say when no API answers', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const run = await runTool(['listen', '--api', `http://127.0.0.1:${port}`, '--port', '0', '--dir', DIR]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `no API answers at http://127.0.0.1:${port} (ECONNREFUSED); start it with npm start`,
    );
  });

  it.each([
    [['listen', '--port', 'nope'], '--port must be 0 or a whole number'],
    [['listen', '--events', 'upload.nope'], '--events has unknown type "upload.nope"'],
    [['listen', '--prot', '7590'], "Unknown option '--prot'"],
    [['lisen'], 'unknown command "lisen"'],
    [[], 'no command given'],
  ])('should refuse %j with one usage line and exit code 2', async (args, reason) => {
    const run = await runTool(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^webhooks: .*; usage: npm run webhooks -- listen \[--port N\].*\n$/);
    expect(run.stderr).toContain(reason);
  });
});
