import { EventEmitter, once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { ScannerUnavailableError } from './scanner-unavailable.error';
import { ScanThread, type ScanThreadHandle } from './scan-thread';
import { StorageReadError, serveScanTransfers } from './scan-thread.serve';
import type { ScanJob, ScanTransfer, ScanTransferResult, ScanTurn } from './scan-transfer';

const job: ScanJob = { key: 'incoming/a', etag: 'abc', size: 10 };
const clean: ScanTransferResult = { status: 'scanned', verdict: { kind: 'clean' } };

/** A thread served in this one: `transfer` runs each job, over a real MessageChannel. */
function threadServing(transfer: ScanTransfer['send']) {
  const { port1, port2 } = new MessageChannel();
  serveScanTransfers(port2, { send: transfer, close: async () => undefined });
  const events = new EventEmitter();
  port1.on('message', (message) => events.emit('message', message));
  const handle = {
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    postMessage: (message: unknown) => port1.postMessage(message),
    terminate: async () => {
      port1.close();
      events.emit('exit', 1);
    },
  } as unknown as ScanThreadHandle;
  return {
    handle,
    exit: (code: number) => events.emit('exit', code),
    ports: [port1, port2] as MessagePort[],
  };
}

/** clamd's turns as the API hands them out: one at a time, with a count of those held. */
function oneTurn() {
  let held = 0;
  const turn: ScanTurn = jest.fn(async () => {
    held++;
    return () => held--;
  });
  return { turn, held: () => held };
}

describe('ScanThread', () => {
  const opened: MessagePort[] = [];
  afterEach(() => opened.splice(0).forEach((port) => port.close()));

  function setUp(transfer: ScanTransfer['send']) {
    const served = threadServing(transfer);
    opened.push(...served.ports);
    const start = jest.fn(() => served.handle);
    return { sut: new ScanThread(start, 'uploads'), start, exit: served.exit };
  }

  it("should answer with the thread's result, the stream's end sent in the API's turn and the turn released after", async () => {
    const order: string[] = [];
    const { sut } = setUp(async (sent, _signal, turn) => {
      expect(sent).toEqual(job);
      order.push('read');
      const release = await turn();
      order.push('turn granted');
      release();
      return clean;
    });
    const { turn, held } = oneTurn();
    expect(await sut.send(job, new AbortController().signal, turn)).toEqual(clean);
    expect(order).toEqual(['read', 'turn granted']);
    expect(turn).toHaveBeenCalledTimes(1);
    expect(held()).toBe(0);
  });

  it('should pass on a changed or missing object, with no turn taken', async () => {
    const { sut } = setUp(async () => ({ status: 'changed' }));
    const { turn } = oneTurn();
    expect(await sut.send(job, new AbortController().signal, turn)).toEqual({ status: 'changed' });
    expect(turn).not.toHaveBeenCalled();
  });

  it('should fail with a ScannerUnavailableError and its fault when clamd gave no verdict in the thread', async () => {
    const { sut } = setUp(async () => {
      throw new ScannerUnavailableError('connection_reset', 'clamd reset the connection');
    });
    const failure = sut.send(job, new AbortController().signal, oneTurn().turn);
    await expect(failure).rejects.toBeInstanceOf(ScannerUnavailableError);
    await expect(failure).rejects.toMatchObject({
      code: 'connection_reset',
      message: 'clamd reset the connection',
    });
  });

  it("should fail with the thread's other errors by name and message", async () => {
    const { sut } = setUp(async () => {
      throw Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError' });
    });
    await expect(sut.send(job, new AbortController().signal, oneTurn().turn)).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'read ECONNRESET',
    });
  });

  it.each([
    ['AccessDenied', 403, 'storage.misconfigured'],
    ['ServiceUnavailable', 503, 'storage.unavailable'],
  ])(
    'should sort a read S3 failed with %s in the thread as the API sorts its own reads',
    async (name, status, code) => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const { sut } = setUp(async () => {
        throw new StorageReadError(
          Object.assign(new Error('refused'), { name, $metadata: { httpStatusCode: status } }),
        );
      });
      const failure = sut.send(job, new AbortController().signal, oneTurn().turn);
      await expect(failure).rejects.toMatchObject({ problem: { errors: [{ code }] } });
      const logged = error.mock.calls.map(([message]) => String(message));
      expect(logged.some((line) => line.includes(`s3:GetObject on bucket "uploads" with ${name}`))).toBe(
        code === 'storage.misconfigured',
      );
      error.mockRestore();
    },
  );

  it('should stop the job in the thread when its signal aborts, and release a turn it held', async () => {
    let stopped: AbortSignal | undefined;
    let granted!: () => void;
    const turnGranted = new Promise<void>((resolve) => (granted = resolve));
    const { sut } = setUp(async (_job, signal, turn) => {
      stopped = signal;
      await turn();
      granted();
      await once(signal, 'abort');
      throw signal.reason;
    });
    const { turn, held } = oneTurn();
    const stop = new AbortController();
    const sent = sut.send(job, stop.signal, turn);
    await turnGranted;
    expect(held()).toBe(1);
    stop.abort(new Error('shutting down'));
    await expect(sent).rejects.toThrow('shutting down');
    expect(held()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped?.aborted).toBe(true);
  });

  it('should fail the jobs of a thread that exits, and start another thread for the next job', async () => {
    let calls = 0;
    const { sut, start, exit } = setUp(async () =>
      ++calls === 1 ? new Promise<never>(() => undefined) : clean,
    );
    const first = sut.send(job, new AbortController().signal, oneTurn().turn);
    await new Promise((resolve) => setImmediate(resolve));
    exit(134);
    await expect(first).rejects.toThrow('the scan thread exited with code 134');
    expect(await sut.send(job, new AbortController().signal, oneTurn().turn)).toEqual(clean);
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('should refuse a job whose signal has already aborted, starting no thread', async () => {
    const { sut, start } = setUp(async () => clean);
    const stop = new AbortController();
    stop.abort(new Error('already stopped'));
    await expect(sut.send(job, stop.signal, oneTurn().turn)).rejects.toThrow('already stopped');
    expect(start).not.toHaveBeenCalled();
  });

  it('should run a real worker thread with its settings, and stop it on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scan-thread-'));
    try {
      // A stand-in for the built scan-thread.js: answers every job with the bucket it was given.
      const script = join(dir, 'thread.mjs');
      await writeFile(
        script,
        `import { parentPort, workerData } from 'node:worker_threads';
         parentPort.on('message', ({ type, id }) => type === 'send' &&
           parentPort.postMessage({ type: 'failed', id, error: { name: 'Error', message: workerData.s3.bucket } }));`,
      );
      const sut = ScanThread.of(script, {
        s3: { bucket: 'from-settings', region: 'us-east-1', forcePathStyle: true },
        clamav: { url: 'tcp://127.0.0.1:1', connectTimeoutMs: 100, idleTimeoutMs: 1000 },
      });
      await expect(sut.send(job, new AbortController().signal, oneTurn().turn)).rejects.toThrow(
        'from-settings',
      );
      await sut.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
