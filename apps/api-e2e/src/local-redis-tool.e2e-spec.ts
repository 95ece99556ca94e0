import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './support/gateway';

// tools/local-redis: a real redis-server in its own folder and on its own port.
const DIR = 'tmp/local-redis-tool-test';
const PORT = 7521;
const FLAGS = ['--dir', DIR, '--port', String(PORT)];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const tool = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      ['tools/local-redis/local-redis.mjs', ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** One command in Redis's inline protocol, by hand, so that this test does not lean on a client. */
function command(line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1');
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString());
    });
    socket.once('error', reject);
  });
}

describe('tools/local-redis', () => {
  beforeAll(async () => {
    const started = await tool('start', ...FLAGS);
    expect(started).toMatchObject({ code: 0, stdout: `local-redis: ready at 127.0.0.1:${PORT}\n` });
  }, 60_000);
  afterAll(async () => {
    await tool('reset', ...FLAGS);
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
    rmSync(join(ROOT, 'tmp/local-redis-taken'), { recursive: true, force: true });
  });

  it('should be a no-op when started twice, and report itself running', async () => {
    expect(await tool('start', ...FLAGS)).toMatchObject({
      code: 0,
      stdout: `local-redis: already running at 127.0.0.1:${PORT}\n`,
    });
    expect((await tool('status', ...FLAGS)).stdout).toMatch(
      /^local-redis: running at 127\.0\.0\.1:7521 \(pid \d+\)\n$/,
    );
    expect(JSON.parse((await tool('status', ...FLAGS, '--json')).stdout)).toMatchObject({
      running: true,
      address: `127.0.0.1:${PORT}`,
    });
  });

  it('should print REDIS_URL', async () => {
    expect(await tool('env', ...FLAGS)).toMatchObject({
      code: 0,
      stdout: `REDIS_URL=redis://127.0.0.1:${PORT}\n`,
    });
  });

  it('should keep counters in memory only, on 127.0.0.1, in protected mode', async () => {
    expect(await command('INCR dropgate:test')).toBe(':1\r\n');
    expect(await command('CONFIG GET save')).toBe('*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
    expect(await command('CONFIG GET appendonly')).toMatch(/appendonly\r\n\$2\r\nno\r\n$/);
    expect(await command('CONFIG GET bind')).toMatch(/bind\r\n\$9\r\n127\.0\.0\.1\r\n$/);
    expect(await command('CONFIG GET protected-mode')).toMatch(/protected-mode\r\n\$3\r\nyes\r\n$/);
  });

  it('should run redis-server unprivileged when started by root', async () => {
    const pid = JSON.parse((await tool('status', ...FLAGS, '--json')).stdout).pid;
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    expect(Number(uid)).toBe(process.getuid?.() === 0 ? 65534 : process.getuid?.());
  });

  it('should refuse to start on another port while running, naming the fix', async () => {
    const run = await tool('start', '--dir', DIR, '--port', '7523');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^local-redis: redis-server from .*local-redis-tool-test runs with other settings \(port\); stop it first with `local-redis stop`\n$/,
    );
  });

  it('should stop, forget its counters, start again and reset', async () => {
    expect((await tool('stop', ...FLAGS)).stdout).toBe('local-redis: stopped\n');
    expect(await tool('status', ...FLAGS)).toMatchObject({ code: 3, stdout: 'local-redis: not running\n' });
    expect((await tool('stop', ...FLAGS)).stdout).toBe('local-redis: nothing was running\n');
    expect((await tool('start', ...FLAGS)).code).toBe(0);
    expect(await command('GET dropgate:test')).toBe('$-1\r\n');
    expect((await tool('reset', ...FLAGS)).stdout).toMatch(/^local-redis: stopped and deleted the data in /);
    expect(existsSync(join(ROOT, DIR))).toBe(false);
  }, 60_000);

  describe('bad input', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(7524, '127.0.0.1', resolve));
    });
    afterAll(() => blocker.close());

    it.each<[string, string[], number, RegExp]>([
      [
        'an unknown command',
        ['flush'],
        2,
        /^local-redis: unknown command "flush"; expected one of start, stop, reset, status, env\n$/,
      ],
      [
        'a port that is not a number',
        ['start', '--port', 'x'],
        2,
        /^local-redis: --port must be a whole number from 1024 to 65535 \(got "x"\)\n$/,
      ],
      [
        'a port already taken',
        ['start', '--dir', 'tmp/local-redis-taken', '--port', '7524'],
        1,
        /^local-redis: port 7524 on 127\.0\.0\.1 is already in use; free it or choose another with --port\n$/,
      ],
    ])('should refuse %s with one line', async (_case, args, code, message) => {
      const run = await tool(...args);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
    });
  });
});
