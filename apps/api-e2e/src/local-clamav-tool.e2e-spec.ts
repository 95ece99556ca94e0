import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './support/gateway';

// tools/local-clamav: a real clamd in its own folder and on its own port.
const DIR = 'tmp/local-clamav-tool-test';
const PORT = 7513;
const FLAGS = ['--dir', DIR, '--port', String(PORT)];
const GIB = 1024 ** 3;

/** The EICAR test file, put together here so that no file of the project is one. */
const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-', 'ANTIVIRUS-TEST-FILE!', '$H+H*'].join(''),
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const tool = (...args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      ['tools/local-clamav/local-clamav.mjs', ...args],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** clamd's INSTREAM by hand, as clamd(8) describes it, so that this test does not lean on our client. */
function instream(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    socket.end(Buffer.concat([Buffer.from('zINSTREAM\0'), length, bytes, Buffer.alloc(4)]));
    const reply: Buffer[] = [];
    socket.on('data', (chunk) => reply.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(reply).toString()));
  });
}

describe('tools/local-clamav', () => {
  beforeAll(async () => {
    const started = await tool('start', ...FLAGS);
    expect(started).toMatchObject({ code: 0, stdout: `local-clamav: ready at 127.0.0.1:${PORT}\n` });
  }, 120_000);
  afterAll(async () => {
    await tool('reset', ...FLAGS);
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
    rmSync(join(ROOT, 'tmp/local-clamav-taken'), { recursive: true, force: true });
  });

  it('should be a no-op when started twice, and report itself running', async () => {
    expect(await tool('start', ...FLAGS)).toMatchObject({
      code: 0,
      stdout: `local-clamav: already running at 127.0.0.1:${PORT}\n`,
    });
    expect((await tool('status', ...FLAGS)).stdout).toMatch(
      /^local-clamav: running at 127\.0\.0\.1:7513 \(pid \d+\)\n$/,
    );
    expect(JSON.parse((await tool('status', ...FLAGS, '--json')).stdout)).toMatchObject({
      running: true,
      address: `127.0.0.1:${PORT}`,
    });
  });

  it('should print CLAMD_URL', async () => {
    expect(await tool('env', ...FLAGS)).toMatchObject({
      code: 0,
      stdout: `CLAMD_URL=tcp://127.0.0.1:${PORT}\n`,
    });
  });

  it('should find EICAR by the project test signatures, named with the suffix ClamAV gives unofficial ones', async () => {
    expect(await instream(EICAR)).toBe('stream: Dropgate.Test.EICAR.UNOFFICIAL FOUND\0');
    expect(await instream(Buffer.concat([Buffer.from('prefix '), EICAR]))).toBe(
      'stream: Dropgate.Test.EICAR.UNOFFICIAL FOUND\0',
    );
  });

  it('should pass bytes it has no signature for', async () => {
    expect(await instream(Buffer.from('nothing to see here\n'))).toBe('stream: OK\0');
  });

  it('should set the limits explicitly, so that nothing unscanned reads as clean', () => {
    const config = readFileSync(join(ROOT, DIR, 'clamd.conf'), 'utf8').split('\n');
    expect(config).toEqual(
      expect.arrayContaining([
        'TCPAddr 127.0.0.1',
        `StreamMaxLength ${GIB}`,
        `MaxFileSize ${GIB}`,
        `MaxScanSize ${4 * GIB}`,
        'AlertExceedsMax yes',
        'AlertEncrypted yes',
        'SelfCheck 0',
        'Bytecode no',
      ]),
    );
  });

  it('should run clamd unprivileged when started by root', async () => {
    const pid = JSON.parse((await tool('status', ...FLAGS, '--json')).stdout).pid;
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    expect(Number(uid)).toBe(process.getuid?.() === 0 ? 65534 : process.getuid?.());
  });

  it('should refuse to start with other limits while running, naming the fix', async () => {
    const run = await tool('start', ...FLAGS, '--max-bytes', '1000');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^local-clamav: clamd from .*local-clamav-tool-test runs with other settings \(port or --max-bytes\); stop it first with `local-clamav stop`\n$/,
    );
  });

  it('should stop, start again and reset', async () => {
    expect((await tool('stop', ...FLAGS)).stdout).toBe('local-clamav: stopped\n');
    expect(await tool('status', ...FLAGS)).toMatchObject({ code: 3, stdout: 'local-clamav: not running\n' });
    expect((await tool('stop', ...FLAGS)).stdout).toBe('local-clamav: nothing was running\n');
    expect((await tool('start', ...FLAGS, '--max-bytes', '1000')).code).toBe(0);
    expect(readFileSync(join(ROOT, DIR, 'clamd.conf'), 'utf8')).toContain('MaxScanSize 4000\n');
    expect(await instream(EICAR)).toMatch(/FOUND\0$/);
    expect((await tool('reset', ...FLAGS)).stdout).toMatch(/^local-clamav: stopped and deleted the data in /);
    expect(existsSync(join(ROOT, DIR))).toBe(false);
  }, 120_000);

  describe('bad input', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(7515, '127.0.0.1', resolve));
    });
    afterAll(() => blocker.close());

    it.each<[string, string[], number, RegExp]>([
      [
        'an unknown command',
        ['scan'],
        2,
        /^local-clamav: unknown command "scan"; expected one of start, stop, reset, status, env\n$/,
      ],
      [
        'a port that is not a number',
        ['start', '--port', 'x'],
        2,
        /^local-clamav: --port must be a whole number from 1024 to 65535 \(got "x"\)\n$/,
      ],
      [
        'a limit above the cap of ClamAV',
        ['start', '--max-bytes', String(2 * GIB)],
        2,
        /^local-clamav: --max-bytes must be a whole number of bytes from 1 to 2147483647 \(got "2147483648"\)\n$/,
      ],
      [
        'a limit with a unit',
        ['start', '--max-bytes', '1G'],
        2,
        /^local-clamav: --max-bytes must be a whole number of bytes from 1 to 2147483647 \(got "1G"\)\n$/,
      ],
      [
        'a port already taken',
        ['start', '--dir', 'tmp/local-clamav-taken', '--port', '7515'],
        1,
        /^local-clamav: port 7515 on 127\.0\.0\.1 is already in use; free it or choose another with --port\n$/,
      ],
    ])('should refuse %s with one line', async (_case, args, code, message) => {
      const run = await tool(...args);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
    });
  });
});
