// Debian's nginx in front of the instances: the template filled in, checked, run in the
// foreground with its own prefix, reloaded, and stopped. Unprivileged: as root it runs as nobody.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { nobodyHome } from '../local-service/nobody-home.mjs';
import { sleep } from '../local-service/processes.mjs';
import { MissingPackagesError, NGINX, ensurePackages, nginxPath } from '../system-packages.mjs';

const TEMPLATE = join(import.meta.dirname, 'nginx.conf');
const NOBODY = 65534;
const asRoot = () => process.getuid?.() === 0;

/** The upstream line of one instance; `down` while it is out for a restart. */
export const upstreamLine = ({ port, inNginx }) =>
  `server 127.0.0.1:${port} max_fails=3 fail_timeout=10s${inNginx ? '' : ' down'};`;

/**
 * The template with its placeholders filled in: on its directive lines only, as its comments name
 * them too. A placeholder missing from the template fails here rather than in nginx.
 */
export function renderConfig({ port, instances }) {
  const values = { PORT: String(port), UPSTREAMS: instances.map(upstreamLine).join('\n        ') };
  const seen = new Set();
  const text = readFileSync(TEMPLATE, 'utf8')
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\{\{(\w+)\}\}/g, (match, name) => {
            if (!Object.hasOwn(values, name)) throw new Error(`nginx.conf: unknown placeholder ${match}`);
            seen.add(name);
            return values[name];
          }),
    )
    .join('\n');
  const missing = Object.keys(values).filter((name) => !seen.has(name));
  if (missing.length) throw new Error(`nginx.conf: no {{${missing.join('}}, {{')}}} outside comments`);
  return text;
}

/** Fails with the command that installs nginx when it is missing (and installs it as root). */
export function requireNginx(say) {
  try {
    ensurePackages(NGINX, say);
  } catch (error) {
    if (error instanceof MissingPackagesError) throw new LocalServiceError(error.message);
    throw error;
  }
  return nginxPath();
}

/**
 * The prefix: `dir`/nginx, or, when nginx will run as nobody and a folder above is closed to
 * others (a checkout in a private home folder), a folder of its own under the system's temp
 * folder, which nobody can reach.
 */
export function prefixFor(dir) {
  return nobodyHome(join(resolve(dir), 'nginx'), 'nginx');
}

/** The pids of a process's children, from /proc (Linux). */
function childrenOf(pid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after its last ')' do not.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return children;
}

const alive = (pid) => existsSync(`/proc/${pid}`);

export class Nginx {
  constructor({ dir, port, say }) {
    this.binary = requireNginx(say);
    this.prefix = prefixFor(dir);
    this.port = port;
    this.say = say;
    this.child = undefined;
  }

  get errorLog() {
    return join(this.prefix, 'error.log');
  }

  get accessLog() {
    return join(this.prefix, 'access.log');
  }

  /** The last line of the error log, with the fix when it is a taken port. */
  lastError() {
    const lines = existsSync(this.errorLog) ? readFileSync(this.errorLog, 'utf8').trim().split('\n') : [];
    const last = lines.at(-1) || 'no output';
    return lines.slice(-5).some((line) => line.includes('Address already in use'))
      ? `port ${this.port} on 127.0.0.1 is already in use; free it or choose another with --port`
      : `${last} (see ${this.errorLog})`;
  }

  /** `nginx` with this prefix; as root through setpriv, so that no nginx process is root. */
  command(extra) {
    const args = ['-p', `${this.prefix}/`, '-c', 'nginx.conf', '-e', 'error.log', ...extra];
    return asRoot()
      ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', this.binary, ...args]]
      : [this.binary, args];
  }

  /** Writes the configuration for these instances and has nginx check it (`nginx -t`). */
  configure(instances) {
    mkdirSync(this.prefix, { recursive: true });
    if (asRoot()) chownSync(this.prefix, NOBODY, NOBODY);
    writeFileSync(join(this.prefix, 'nginx.conf'), renderConfig({ port: this.port, instances }), {
      mode: 0o644,
    });
    const [command, args] = this.command(['-t', '-q']);
    const result = spawnSync(command, args, { cwd: this.prefix, encoding: 'utf8' });
    if (result.status !== 0) {
      const reason = `${result.stderr}${result.error?.message ?? ''}`.trim();
      throw new LocalServiceError(`nginx refused ${this.prefix}/nginx.conf: ${reason}`);
    }
  }

  /** Runs nginx in the foreground, in its own process group (Ctrl-C is for the runner to pass on). */
  start(instances) {
    this.configure(instances);
    const [command, args] = this.command(['-g', 'daemon off;']);
    this.child = spawn(command, args, {
      cwd: this.prefix,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    return this.child;
  }

  /**
   * Applies the configuration for `instances` with `nginx -s reload`, and waits until every worker
   * that ran before has exited. nginx retires an old worker only once the requests it holds are
   * finished (or worker_shutdown_timeout, 30 s, has passed), so when they are all gone no request
   * sent under the old configuration is still in flight. Returns how many old workers there were.
   */
  async reload(instances) {
    this.configure(instances);
    const before = childrenOf(this.child.pid);
    const [command, args] = this.command(['-s', 'reload']);
    const result = spawnSync(command, args, { cwd: this.prefix, encoding: 'utf8' });
    if (result.status !== 0) throw new LocalServiceError(`nginx -s reload failed: ${result.stderr.trim()}`);
    const deadline = Date.now() + 40_000;
    for (;;) {
      const now = childrenOf(this.child.pid);
      const retired = before.every((pid) => !alive(pid));
      if (retired && now.some((pid) => !before.includes(pid))) return before.length;
      if (this.child.exitCode !== null) throw new LocalServiceError('nginx stopped during a reload');
      if (Date.now() > deadline) {
        throw new LocalServiceError(`nginx's old workers did not exit within 40 s; see ${this.errorLog}`);
      }
      await sleep(50);
    }
  }

  /** Graceful stop (QUIT: requests in flight are finished); fast stop if that takes over 35 s. */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGTERM'), 35_000);
    await exited;
    clearTimeout(timer);
  }
}
