// The running cluster: the local services and Redis, one build, N instances and nginx, all
// started, watched and stopped by this one object, which also does the rolling restarts that
// later invocations ask for.
import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { assertPortFree, httpAnswers, sleep, waitFor } from '../local-service/processes.mjs';
import { localServices } from '../run/services.mjs';
import { removeState, runningState, serveControl, writeState } from './control.mjs';
import { Instance } from './instance.mjs';
import { Nginx } from './nginx.mjs';

export class ClusterRunner {
  constructor(options, say) {
    this.options = options;
    this.say = say;
    this.services = localServices({ say, redis: true });
    this.instances = [];
    this.nginx = undefined;
    this.build = undefined;
    this.control = undefined;
    this.ready = false;
    this.restarting = false;
    this.stopping = false;
  }

  /** Everything up, in order; any failure throws with a message that names the fix. */
  async start() {
    const { dir, port, instancePort, metricsPort, instances: count } = this.options;
    const running = runningState(dir);
    if (running) {
      throw new LocalServiceError(
        `a cluster already runs from ${relative(process.cwd(), dir) || '.'} (pid ${running.pid}); stop it with \`npm run cluster -- stop\`, or use another --dir`,
      );
    }
    // Checked before anything starts, so that a missing nginx or a taken port costs nothing.
    this.nginx = new Nginx({ dir, port, say: this.say });
    await assertPortFree(port, '--port');
    for (let i = 0; i < count; i++) {
      await assertPortFree(instancePort + i, '--instance-port');
      if (metricsPort) await assertPortFree(metricsPort + i, '--metrics-port');
    }
    const env = { ...process.env, ...(await this.services.start()) };
    if (this.options.build) await this.runBuild(env);
    const shared = {
      ...env,
      RATE_LIMIT_INSTANCES: String(count),
      TRUSTED_PROXIES: '127.0.0.1',
      SHUTDOWN_DRAIN_SECONDS: String(this.options.drainSeconds),
    };
    for (let i = 0; i < count; i++) {
      this.instances.push(
        new Instance({
          n: i + 1,
          port: instancePort + i,
          metricsPort: metricsPort && metricsPort + i,
          env: shared,
          logDir: join(dir, 'logs'),
        }),
      );
    }
    this.say(`starting ${count} API instances`);
    for (const instance of this.instances) instance.start(this.onInstanceExit);
    await Promise.all(this.instances.map((instance) => instance.waitReady()));
    // Ctrl-C while the instances started: shutdown() has run, so start nothing more.
    if (this.stopping) throw new LocalServiceError('stopped while starting');
    this.nginx.start(this.instances).once('exit', (code, signal) => {
      if (this.stopping || !this.ready) return; // while starting, waitForNginx reports it
      this.say(`nginx stopped (${code ?? signal}); see ${this.nginx.errorLog}`);
      void this.shutdown(1);
    });
    await this.waitForNginx();
    this.control = await serveControl(dir, (request, say) => this.handle(request, say));
    this.ready = true;
    this.saveState();
    this.printSummary();
  }

  /** The API and the web app, built once as `npm start` builds them. */
  runBuild(env) {
    this.say('building the web app and the API');
    return new Promise((resolvePromise, reject) => {
      const args = ['nx', 'run-many', '-t', 'build', '-p', 'web', 'api', '--output-style=static'];
      // Its own process group, so that stopping it stops nx's workers too.
      this.build = spawn('npx', args, { env, stdio: 'inherit', detached: true });
      this.build.once('exit', (code) => {
        this.build = undefined;
        if (code === 0) return resolvePromise();
        reject(
          new LocalServiceError(
            `the build failed (exit ${code}); fix the errors above, then run \`npm run cluster\` again`,
          ),
        );
      });
    });
  }

  async waitForNginx() {
    const url = `http://127.0.0.1:${this.options.port}/api/health/ready`;
    const state = await waitFor(
      async () =>
        this.nginx.child.exitCode !== null ? 'exited' : (await httpAnswers(url, { requireOk: true })) && 'up',
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        message: `nginx did not answer on ${url} within 20 s; see ${this.nginx.errorLog}`,
      },
    );
    if (state === 'exited') {
      throw new LocalServiceError(`nginx stopped while starting: ${this.nginx.lastError()}`);
    }
  }

  onInstanceExit = (instance, child, how) => {
    // A restart replaces the child; only the current one's exit is news.
    if (this.stopping || instance.stopping || instance.child !== child) return;
    this.say(
      `${instance.name} exited (${how}); nginx sends its requests to the others. Start it again with \`npm run cluster -- restart ${instance.n}\`; its log: ${instance.log}`,
    );
    this.saveState();
  };

  /** A request from a later invocation (control.mjs). */
  handle(request, say) {
    if (request.command === 'restart') return this.restart(request.target, say);
    throw new LocalServiceError(`unknown request ${JSON.stringify(request.command)}`);
  }

  /** Restarts `target` ("all", or a number from 1), one instance at a time. */
  async restart(target, say) {
    if (!this.ready || this.stopping)
      throw new LocalServiceError('the cluster is starting or stopping; try again');
    if (this.restarting) throw new LocalServiceError('a restart is already under way; wait for it to finish');
    const targets = target === 'all' ? this.instances : [this.instances[Number(target) - 1]];
    if (!targets[0]) {
      throw new LocalServiceError(
        `there is no instance ${target}: this cluster has 1 to ${this.instances.length}`,
      );
    }
    this.restarting = true;
    try {
      for (const instance of targets) await this.restartOne(instance, say);
    } finally {
      this.restarting = false;
      this.saveState();
    }
  }

  /**
   * Out of nginx, requests in flight finished, SIGTERM and exit, start, ready, back in; only then
   * the next. Taking an instance out while no other is ready would leave nothing to serve, and
   * an instance put back before it is ready is what turns a restart into a storm of 502s.
   */
  async restartOne(instance, say) {
    const others = this.instances.filter((other) => other !== instance);
    if (others.length === 0) say(`${instance.name} is the only instance: requests get 502 until it is back`);
    else await this.waitForAnotherReady(instance);
    instance.inNginx = false;
    const retired = await this.nginx.reload(this.instances);
    this.saveState();
    say(`${instance.name}: out of nginx; requests in flight finished (${retired} old nginx workers exited)`);
    if (instance.running) {
      await instance.stop(this.graceMs());
      say(`${instance.name}: stopped (SIGTERM, after its ${this.options.drainSeconds} s drain)`);
    }
    // Ctrl-C during a restart: shutdown() stops what runs; start nothing new behind its back.
    if (this.stopping) throw new LocalServiceError('the cluster is stopping');
    instance.start(this.onInstanceExit);
    try {
      await instance.waitReady();
    } catch (error) {
      say(`${instance.name} stays out of nginx`);
      throw error;
    }
    say(`${instance.name}: ready again (pid ${instance.pid})`);
    if (this.stopping) throw new LocalServiceError('the cluster is stopping');
    instance.inNginx = true;
    await this.nginx.reload(this.instances);
    this.saveState();
    say(`${instance.name}: back in nginx`);
  }

  async waitForAnotherReady(instance) {
    const others = this.instances.filter((other) => other !== instance && other.inNginx && other.running);
    for (let tries = 0; others.length && tries < 300; tries++) {
      for (const other of others) if (await httpAnswers(other.readyUrl(), { requireOk: true })) return;
      await sleep(200);
    }
    throw new LocalServiceError(
      `no other instance is ready, so taking ${instance.name} out would leave none to serve; see \`npm run cluster -- status\``,
    );
  }

  /** The drain period, and then time to finish what the instance still holds. */
  graceMs() {
    return (this.options.drainSeconds + 30) * 1000;
  }

  saveState() {
    if (!this.ready) return;
    writeState(this.options.dir, {
      pid: process.pid,
      url: `http://127.0.0.1:${this.options.port}`,
      port: this.options.port,
      nginx: { pid: this.nginx.child?.pid ?? null, prefix: this.nginx.prefix },
      drainSeconds: this.options.drainSeconds,
      instances: this.instances.map((instance) => instance.toJSON()),
    });
  }

  printSummary() {
    const { port, dir } = this.options;
    const shown = (path) => relative(process.cwd(), path) || '.';
    this.say(`cluster ready: http://localhost:${port} (nginx, prefix ${shown(this.nginx.prefix)})`);
    for (const instance of this.instances) {
      const metrics = instance.metricsPort
        ? `metrics http://127.0.0.1:${instance.metricsPort}/metrics`
        : 'metrics off';
      this.say(`  ${instance.name}: 127.0.0.1:${instance.port}, ${metrics}, log ${shown(instance.log)}`);
    }
    if (port !== 3000 && !process.env.OIDC_ISSUER) {
      this.say('  (the local identity provider lets the web app sign in from port 3000 or 4200 only)');
    }
    this.say(
      `Ctrl-C stops it all; \`npm run cluster -- restart all\` restarts the instances one by one (state in ${shown(dir)})`,
    );
  }

  /** Stops what this started, and nothing else: nginx first (QUIT), then the instances (drained). */
  async shutdown(code) {
    if (this.stopping) return;
    this.stopping = true;
    this.control?.close();
    if (this.build) process.kill(-this.build.pid, 'SIGTERM');
    await this.nginx?.stop();
    const running = this.instances.filter((instance) => instance.running);
    if (running.length) this.say(`draining ${running.length} instances (${this.options.drainSeconds} s)`);
    await Promise.all(running.map((instance) => instance.stop(this.graceMs())));
    await this.services.stop();
    if (this.ready) removeState(this.options.dir);
    process.exit(code);
  }
}
