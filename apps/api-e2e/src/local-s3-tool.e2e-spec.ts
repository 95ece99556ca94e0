import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ROOT } from './support/gateway';

// tools/local-s3 itself: its own folder and ports, with persistent (bluestore) storage.
const DIR = 'tmp/local-s3-tool-test';
const FLAGS = ['--dir', DIR, '--port', '7482', '--mon-port', '3302', '--bucket', 'tool-test'];

function tool(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['tools/local-s3/local-s3.mjs', ...args],
      { cwd: ROOT, timeout: 180_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('tools/local-s3', () => {
  afterAll(async () => {
    await tool('reset', ...FLAGS);
    rmSync(join(ROOT, DIR), { recursive: true, force: true });
  });

  it('should keep an object across a second start, a stop and a start again', async () => {
    expect((await tool('start', ...FLAGS)).code).toBe(0);
    const again = await tool('start', ...FLAGS);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already running at http:\/\/127\.0\.0\.1:7482 .*nothing to do/);

    const env = Object.fromEntries(
      (await tool('env', ...FLAGS)).stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    const s3 = new S3Client({
      endpoint: env['S3_ENDPOINT'],
      region: env['S3_REGION'],
      forcePathStyle: true,
      credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID'], secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] },
    });
    await s3.send(new PutObjectCommand({ Bucket: 'tool-test', Key: 'kept.txt', Body: 'still here' }));

    expect((await tool('stop', ...FLAGS)).stdout).toMatch(/stopped client\.rgw, osd\.0, mon\.a/);
    expect((await tool('status', ...FLAGS)).code).toBe(3);
    expect((await tool('start', ...FLAGS)).code).toBe(0);
    const object = await s3.send(new GetObjectCommand({ Bucket: 'tool-test', Key: 'kept.txt' }));
    expect(await object.Body?.transformToString()).toBe('still here');
    s3.destroy();
  }, 180_000);

  describe('bad input', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(7483, '127.0.0.1', resolve));
      writeFileSync(join(ROOT, 'tmp/not-a-folder'), '');
    });
    afterAll(() => blocker.close());

    it.each<[string, string[], number, RegExp]>([
      [
        'an unknown subcommand',
        ['frobnicate'],
        2,
        /^local-s3: unknown command "frobnicate"; expected one of start, stop, reset, status, env\n$/,
      ],
      ['no subcommand', [], 2, /^local-s3: no command given/],
      ['an unknown flag', ['start', '--colour'], 2, /^local-s3: Unknown option '--colour'/],
      [
        'a port that is not a number',
        ['start', '--port', 'http'],
        2,
        /^local-s3: --port must be a whole number from 1024 to 65535 \(got "http"\)\n$/,
      ],
      [
        'a port already taken',
        ['start', '--dir', 'tmp/local-s3-taken', '--port', '7483', '--mon-port', '3303'],
        1,
        /^local-s3: port 7483 on 127\.0\.0\.1 is already in use; free it or choose another with --port\n$/,
      ],
      [
        'a data folder that is not writable',
        ['start', '--dir', 'tmp/not-a-folder/data', '--port', '7484', '--mon-port', '3304'],
        1,
        /^local-s3: data folder .*not-a-folder\/data is not writable \(ENOTDIR\); choose another with --dir\n$/,
      ],
      [
        'an unknown store',
        ['start', '--store', 'floppy'],
        2,
        /^local-s3: --store must be one of bluestore, memstore/,
      ],
    ])('should refuse %s in one line, without a stack trace', async (_case, args, code, message) => {
      const result = await tool(...args);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
