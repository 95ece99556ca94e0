import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ClamdClient, MAX_CHUNK_BYTES } from './clamd-client';
import { ScannerUnavailableError, type ScannerFault } from './scanner-unavailable.error';

/** What the fake clamd read: the command, each chunk's length, and the bytes. */
interface Received {
  command: string;
  lengths: number[];
  bytes: Buffer;
}

type Behaviour = (socket: Socket, received: Promise<Received>) => void;

/** Reads an INSTREAM request as clamd does: the command to its NUL, then length-prefixed chunks. */
function readRequest(socket: Socket): Promise<Received> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let command: string | undefined;
    const lengths: number[] = [];
    const bytes: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (command === undefined) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        command = buffer.subarray(0, end).toString();
        buffer = buffer.subarray(end + 1);
        if (command === 'zPING') return done();
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (buffer.length < 4 + length) return;
        if (length === 0) return done();
        lengths.push(length);
        bytes.push(buffer.subarray(4, 4 + length));
        buffer = buffer.subarray(4 + length);
      }
    };
    const done = () => {
      socket.off('data', onData);
      resolve({ command: command ?? '', lengths, bytes: Buffer.concat(bytes) });
    };
    socket.on('data', onData);
  });
}

/** A fake clamd on a free port (or a socket path) that does what `behaviour` says. */
async function fakeClamd(behaviour: Behaviour, path?: string): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    behaviour(socket, readRequest(socket));
  });
  await new Promise<void>((resolve) =>
    path ? server.listen(path, resolve) : server.listen(0, '127.0.0.1', resolve),
  );
  const url = path ?? `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server };
}

/** Answers every request with `reply` and a NUL, once it has read the whole stream. */
const replying =
  (reply: string): Behaviour =>
  (socket, received) =>
    void received.then(() => socket.end(`${reply}\0`));

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* parts;
}

const TIMEOUTS = { connectTimeoutMs: 1_000, idleTimeoutMs: 2_000 };

describe('ClamdClient', () => {
  const servers: Server[] = [];
  const start = async (behaviour: Behaviour, path?: string) => {
    const fake = await fakeClamd(behaviour, path);
    servers.push(fake.server);
    return new ClamdClient(fake.url, TIMEOUTS);
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const expectFault = async (promise: Promise<unknown>, codes: ScannerFault[]) => {
    const error = await promise.then(
      (value) => value,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ScannerUnavailableError);
    expect(codes).toContain((error as ScannerUnavailableError).code);
  };

  describe('framing', () => {
    it('should send zINSTREAM, chunks of at most 64 KiB each with its length, and the bytes unchanged', async () => {
      let seen: Received | undefined;
      const sut = await start((socket, received) =>
        received.then((request) => {
          seen = request;
          socket.end('stream: OK\0');
        }),
      );
      const big = Buffer.alloc(200 * 1024, 7);
      const small = Buffer.from('tail bytes');

      await expect(sut.scan(chunks(big, new Uint8Array(0), small))).resolves.toEqual({ kind: 'clean' });

      expect(seen?.command).toBe('zINSTREAM');
      expect(seen?.lengths).toEqual([MAX_CHUNK_BYTES, MAX_CHUNK_BYTES, MAX_CHUNK_BYTES, 8192, small.length]);
      expect(seen?.bytes.equals(Buffer.concat([big, small]))).toBe(true);
    });

    it('should still send the command and the end for a zero-length stream', async () => {
      let seen: Received | undefined;
      const sut = await start((socket, received) =>
        received.then((request) => {
          seen = request;
          socket.end('stream: OK\0');
        }),
      );

      await expect(sut.scan(chunks())).resolves.toEqual({ kind: 'clean' });

      expect(seen).toEqual({ command: 'zINSTREAM', lengths: [], bytes: Buffer.alloc(0) });
    });

    it('should read a Node stream', async () => {
      let seen: Received | undefined;
      const sut = await start((socket, received) =>
        received.then((request) => {
          seen = request;
          socket.end('stream: OK\0');
        }),
      );

      await sut.scan(Readable.from([Buffer.from('one '), Buffer.from('two')]));

      expect(seen?.bytes.toString()).toBe('one two');
    });

    it('should not read ahead of what clamd has taken', async () => {
      let pulled = 0;
      async function* endless() {
        for (let i = 0; i < 1024; i++) {
          pulled += MAX_CHUNK_BYTES;
          yield Buffer.alloc(MAX_CHUNK_BYTES);
        }
      }
      let pulledWhilePaused = 0;
      const sut = await start((socket, received) => {
        socket.pause();
        setTimeout(() => {
          pulledWhilePaused = pulled;
          socket.resume();
        }, 500);
        void received.then(() => socket.end('stream: OK\0'));
      });

      await expect(sut.scan(endless())).resolves.toEqual({ kind: 'clean' });

      // 64 MiB in all; socket buffers hold a few MiB at most.
      expect(pulled).toBe(64 * 1024 * 1024);
      expect(pulledWhilePaused).toBeLessThan(16 * 1024 * 1024);
      // 64 MiB through a local socket: seconds on a busy machine, so not jest's default 5 s.
    }, 60_000);
  });

  describe('replies', () => {
    it.each([
      ['stream: OK', { kind: 'clean' }],
      [
        'stream: Dropgate.Test.EICAR.UNOFFICIAL FOUND',
        { kind: 'infected', signature: 'Dropgate.Test.EICAR.UNOFFICIAL' },
      ],
      [
        'stream: Heuristics.Encrypted.Zip FOUND',
        { kind: 'held', reason: 'encrypted', detail: 'Heuristics.Encrypted.Zip' },
      ],
      [
        'stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND',
        { kind: 'held', reason: 'limits_exceeded', detail: 'Heuristics.Limits.Exceeded.MaxFileSize' },
      ],
      [
        'INSTREAM size limit exceeded. ERROR',
        { kind: 'held', reason: 'too_large_to_scan', detail: 'INSTREAM size limit exceeded. ERROR' },
      ],
    ])('should turn %j into a verdict', async (reply, verdict) => {
      const sut = await start(replying(reply));
      await expect(sut.scan(chunks(Buffer.from('some bytes')))).resolves.toEqual(verdict);
    });

    it('should take the reply clamd sends before it stops reading (the size limit), not the closed socket', async () => {
      const sut = await start((socket) => {
        let taken = 0;
        socket.on('data', (chunk: Buffer) => {
          taken += chunk.length;
          if (taken > 1024 * 1024 && !socket.destroyed) {
            socket.write('INSTREAM size limit exceeded. ERROR\0', () => socket.destroy());
          }
        });
      });
      async function* large() {
        for (let i = 0; i < 256; i++) yield Buffer.alloc(MAX_CHUNK_BYTES, 1);
      }

      await expect(sut.scan(large())).resolves.toMatchObject({ kind: 'held', reason: 'too_large_to_scan' });
    });

    it('should fail on an empty reply, never reading it as clean', async () => {
      const sut = await start((socket, received) => void received.then(() => socket.end()));
      await expectFault(sut.scan(chunks(Buffer.from('x'))), ['empty_reply']);
    });

    it.each([
      ['a reply it does not know', (socket: Socket) => socket.end('stream: okay\0')],
      ['a reply cut off before its end', (socket: Socket) => socket.end('stream: O')],
      ['an endless reply', (socket: Socket) => socket.end(Buffer.alloc(8192, 'a'))],
    ])('should fail on %s', async (_case, answer) => {
      const sut = await start((socket, received) => void received.then(() => answer(socket)));
      await expectFault(sut.scan(chunks(Buffer.from('x'))), ['garbled_reply']);
    });

    it('should fail when clamd goes away in the middle of the stream', async () => {
      const sut = await start((socket) => socket.once('data', () => socket.destroy()));
      async function* large() {
        for (let i = 0; i < 1024; i++) yield Buffer.alloc(MAX_CHUNK_BYTES);
      }
      await expectFault(sut.scan(large()), ['connection_reset', 'empty_reply']);
    });

    it('should fail when nothing listens', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      const sut = new ClamdClient(`tcp://127.0.0.1:${port}`, TIMEOUTS);

      await expectFault(sut.scan(chunks(Buffer.from('x'))), ['connection_refused']);
      await expectFault(sut.ping(), ['connection_refused']);
    });

    it('should give up when clamd stays silent', async () => {
      const silent = await fakeClamd(() => undefined);
      servers.push(silent.server);
      const sut = new ClamdClient(silent.url, { connectTimeoutMs: 1_000, idleTimeoutMs: 200 });
      const started = Date.now();
      await expectFault(sut.scan(chunks(Buffer.from('x'))), ['timeout']);
      expect(Date.now() - started).toBeLessThan(1_500);
    });
  });

  describe('the caller', () => {
    it('should stop when aborted, with the signal reason', async () => {
      const sut = await start(() => undefined);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('shutting down')), 50);
      await expect(sut.scan(chunks(Buffer.from('x')), controller.signal)).rejects.toThrow('shutting down');
    });

    it("should pass on the source's own error, which says nothing about clamd", async () => {
      const sut = await start(replying('stream: OK'));
      async function* failing(): AsyncIterable<Uint8Array> {
        yield Buffer.from('x');
        throw new Error('the object went away');
      }
      await expect(sut.scan(failing())).rejects.toThrow('the object went away');
    });

    it("should send every byte, then wait for the turn before the stream's end, and release it after the verdict", async () => {
      const events: string[] = [];
      const sut = await start((socket, received) => {
        socket.on('data', () => events.push('clamd read'));
        void received.then((request) => {
          events.push(`stream ended after ${request.bytes.length} bytes`);
          socket.end('stream: OK\0');
        });
      });
      let grant: (() => void) | undefined;
      const turn = () =>
        new Promise<() => void>((resolve) => {
          events.push('waiting for a turn');
          grant = () => resolve(() => events.push('released'));
        });

      const scanning = sut.scan(chunks(Buffer.alloc(1000, 1)), undefined, turn);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events.filter((e) => e !== 'clamd read')).toEqual(['waiting for a turn']);
      expect(events).toContain('clamd read');
      grant?.();
      await expect(scanning).resolves.toEqual({ kind: 'clean' });
      expect(events.filter((e) => e !== 'clamd read')).toEqual([
        'waiting for a turn',
        'stream ended after 1000 bytes',
        'released',
      ]);
    });

    it('should release a turn that came after the scan had already ended', async () => {
      const sut = await start(() => undefined);
      const controller = new AbortController();
      let grant: (() => void) | undefined;
      const released = jest.fn();
      const turn = () => new Promise<() => void>((resolve) => (grant = () => resolve(released)));

      const scanning = sut.scan(chunks(Buffer.from('x')), controller.signal, turn);
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort(new Error('shutting down'));
      await expect(scanning).rejects.toThrow('shutting down');
      grant?.();
      await new Promise((resolve) => setImmediate(resolve));
      expect(released).toHaveBeenCalledTimes(1);
    });
  });

  describe('ping', () => {
    it('should resolve on PONG', async () => {
      let command = '';
      const sut = await start((socket, received) =>
        received.then((request) => {
          command = request.command;
          socket.end('PONG\0');
        }),
      );
      await expect(sut.ping()).resolves.toBeUndefined();
      expect(command).toBe('zPING');
    });

    it('should fail on anything else', async () => {
      const sut = await start(replying('PANG'));
      await expectFault(sut.ping(), ['garbled_reply']);
    });
  });

  describe('a unix socket', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clamd-client-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('should scan through a socket path', async () => {
      const sut = await start(replying('stream: OK'), join(dir, 'clamd.sock'));
      await expect(sut.scan(chunks(Buffer.from('x')))).resolves.toEqual({ kind: 'clean' });
    });
  });
});
