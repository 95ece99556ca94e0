// One API instance of the cluster: its process, its ports, its log, and whether nginx sends it
// requests. The runner keeps one of these per instance and nothing else about them.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { httpAnswers, sleep } from '../local-service/processes.mjs';
import { API_MAIN, API_NODE_FLAGS } from '../run/api-runtime.mjs';

export class Instance {
  /**
   * @param n 1-based number, as `restart <n>` names it
   * @param env the variables every instance shares; PORT and METRICS_PORT are its own
   */
  constructor({ n, port, metricsPort, env, logDir }) {
    this.n = n;
    this.name = `api-${n}`;
    this.port = port;
    this.metricsPort = metricsPort;
    this.env = env;
    this.log = join(logDir, `${this.name}.log`);
    /** false while it is marked `down` in nginx for a restart. */
    this.inNginx = true;
    /** Set while the runner stops it on purpose, so that its exit is not reported as a crash. */
    this.stopping = false;
    this.child = undefined;
  }

  get pid() {
    return this.running ? this.child.pid : undefined;
  }

  get running() {
    return Boolean(this.child) && this.child.exitCode === null && this.child.signalCode === null;
  }

  readyUrl() {
    return `http://127.0.0.1:${this.port}/api/health/ready`;
  }

  /** Starts the built API on its port, its output appended to its log; `onExit` hears every exit. */
  start(onExit) {
    mkdirSync(dirname(this.log), { recursive: true });
    const out = openSync(this.log, 'a');
    const env = { ...this.env, PORT: String(this.port), HOST: '127.0.0.1' };
    // A METRICS_PORT inherited from the shell would be the same for every instance.
    delete env.METRICS_PORT;
    if (this.metricsPort) env.METRICS_PORT = String(this.metricsPort);
    // Its own process group: Ctrl-C reaches the runner only, which drains the instances itself.
    this.child = spawn(process.execPath, [...API_NODE_FLAGS, API_MAIN], {
      env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    closeSync(out);
    this.stopping = false;
    const child = this.child;
    child.once('exit', (code, signal) => onExit(this, child, code ?? signal));
  }

  /** Waits until GET /api/health/ready answers 200, or fails with the end of its log. */
  async waitReady(timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running)
        throw new LocalServiceError(`${this.name} stopped while starting:\n${this.logTail()}`);
      if (await httpAnswers(this.readyUrl(), { requireOk: true })) return;
      await sleep(200);
    }
    throw new LocalServiceError(
      `${this.name} was not ready within ${timeoutMs / 1000} s:\n${this.logTail()}`,
    );
  }

  /**
   * SIGTERM, and the exit: the API fails readiness, waits its drain period, then finishes the
   * requests it has and exits. SIGKILL only if it is still there `graceMs` later.
   */
  async stop(graceMs) {
    const child = this.child;
    if (!this.running) return;
    this.stopping = true;
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** The last lines of its log, for a failure message. */
  logTail(lines = 15) {
    if (!existsSync(this.log)) return '(no log)';
    const text = readFileSync(this.log, 'utf8').trimEnd().split('\n').slice(-lines);
    return `${text.join('\n')}\n(from ${this.log})`;
  }

  /** What state.json and `status` show. */
  toJSON() {
    return {
      n: this.n,
      name: this.name,
      port: this.port,
      metricsPort: this.metricsPort ?? null,
      pid: this.pid ?? null,
      inNginx: this.inNginx,
    };
  }
}
