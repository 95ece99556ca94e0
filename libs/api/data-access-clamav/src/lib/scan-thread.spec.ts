import { EventEmitter, once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { ScannerUnavailableError } from './scanner-unavailable.error';
import { ScanThread, type ScanThreadHandle } from './scan-thread';
import { ScanThreadError } from './scan-thread.errors';
import { StorageReadError, serveScanTransfers } from './scan-thread.serve';
import type { ScanJob, ScanTransfer, ScanTransferResult, ScanTurn } from './scan-transfer';

const job: ScanJob = { key: 'incoming/a', etag: 'abc', size: 10 };
const clean: ScanTransferResult = { status: 'scanned', verdict: { kind: 'clean' } };
const never = () => new Promise<never>(() => undefined);
const settle = () => new Promise((resolve) => setImmediate(resolve));

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
  return { handle, events, ports: [port1, port2] as MessagePort[] };
}

/** clamd's turns as the API hands them out, with a count of those held. */
function turns() {
  let held = 0;
  const turn: ScanTurn = jest.fn(async () => {
    held++;
    return () => held--;
  });
  return { turn, held: () => held };
}

describe('ScanThread', () => {
  const opened: MessagePort[] = [];
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    opened.splice(0).forEach((port) => port.close());
    jest.restoreAllMocks();
  });

  function setUp(transfer: ScanTransfer['send']) {
    const served = threadServing(transfer);
    opened.push(...served.ports);
    const start = jest.fn(() => served.handle);
    return { sut: new ScanThread(start, 'uploads'), start, events: served.events };
  }

  it("should answer with the thread's result, ending the stream inside the API's turn and releasing the turn after", async () => {
    const { turn, held } = turns();
    const heldWhileEnding: number[] = [];
    const { sut } = setUp(async (sent, _signal, threadTurn) => {
      expect(sent).toEqual(job);
      const release = await threadTurn();
      heldWhileEnding.push(held());
      release();
      return clean;
    });
    expect(await sut.send(job, new AbortController().signal, turn)).toEqual(clean);
    expect(heldWhileEnding).toEqual([1]);
    expect(held()).toBe(0);
  });

  it.each(['changed', 'missing'] as const)(
    'should pass on an object found %s, with no turn taken',
    async (status) => {
      const { sut } = setUp(async () => ({ status }));
      const { turn } = turns();
      expect(await sut.send(job, new AbortController().signal, turn)).toEqual({ status });
      expect(turn).not.toHaveBeenCalled();
    },
  );

  it('should fail with a ScannerUnavailableError and its fault when clamd gave no verdict in the thread', async () => {
    const { sut } = setUp(async () => {
      throw new ScannerUnavailableError('connection_reset', 'clamd reset the connection');
    });
    const failure = sut.send(job, new AbortController().signal, turns().turn);
    await expect(failure).rejects.toBeInstanceOf(ScannerUnavailableError);
    await expect(failure).rejects.toMatchObject({
      code: 'connection_reset',
      message: 'clamd reset the connection',
    });
  });

  it("should fail with the thread's other errors, named", async () => {
    const { sut } = setUp(async () => {
      throw Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError' });
    });
    await expect(sut.send(job, new AbortController().signal, turns().turn)).rejects.toMatchObject({
      code: 'job_failed',
      message: 'TimeoutError: read ECONNRESET',
    });
  });

  it.each([
    ['AccessDenied', 403, 'storage.misconfigured'],
    ['ServiceUnavailable', 503, 'storage.unavailable'],
  ])(
    'should sort a read that S3 failed with %s in the thread as the API sorts its own',
    async (name, status, code) => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const { sut } = setUp(async () => {
        throw new StorageReadError(
          Object.assign(new Error('refused'), { name, $metadata: { httpStatusCode: status } }),
        );
      });
      const failure = sut.send(job, new AbortController().signal, turns().turn);
      await expect(failure).rejects.toMatchObject({ problem: { errors: [{ code }] } });
      const logged = error.mock.calls.map(([message]) => String(message));
      expect(logged.some((line) => line.includes(`s3:GetObject on bucket "uploads" with ${name}`))).toBe(
        code === 'storage.misconfigured',
      );
    },
  );

  it('should stop the job in the thread when its signal aborts, and release the turn it held', async () => {
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
    const { turn, held } = turns();
    const stop = new AbortController();
    const sent = sut.send(job, stop.signal, turn);
    await turnGranted;
    expect(held()).toBe(1);
    stop.abort(new Error('shutting down'));
    await expect(sent).rejects.toThrow('shutting down');
    expect(held()).toBe(0);
    await settle();
    expect(stopped?.aborted).toBe(true);
  });

  it('should hand back a turn granted after its job was aborted, and never let the thread end the stream', async () => {
    let grant!: () => void;
    let asked!: () => void;
    const turnAsked = new Promise<void>((resolve) => (asked = resolve));
    let held = 0;
    const turn: ScanTurn = () =>
      new Promise((resolve) => {
        grant = () => {
          held++;
          resolve(() => held--);
        };
        asked();
      });
    const ended = jest.fn();
    const { sut } = setUp(async (_job, signal, threadTurn) => {
      await threadTurn();
      ended();
      return clean;
    });
    const stop = new AbortController();
    const sent = sut.send(job, stop.signal, turn);
    await turnAsked;
    stop.abort(new Error('shutting down'));
    await expect(sent).rejects.toThrow('shutting down');
    grant();
    await settle();
    expect(held).toBe(0);
    expect(ended).not.toHaveBeenCalled();
  });

  it("should fail the job with the turn's error when no turn comes, stopping it in the thread", async () => {
    let stopped: AbortSignal | undefined;
    const { sut } = setUp(async (_job, signal, turn) => {
      stopped = signal;
      await turn();
      return clean;
    });
    const failing: ScanTurn = async () => {
      throw new Error('shutting down while waiting for a turn');
    };
    await expect(sut.send(job, new AbortController().signal, failing)).rejects.toThrow(
      'shutting down while waiting for a turn',
    );
    await settle();
    expect(stopped?.aborted).toBe(true);
  });

  it.each([
    ['exits', 'exited', (events: EventEmitter) => events.emit('exit', 134), 'exited with code 134'],
    [
      'fails',
      'failed',
      (events: EventEmitter) => events.emit('error', new Error('out of memory')),
      'out of memory',
    ],
  ])(
    'should fail the jobs of a thread that %s, log it, and start another thread for the next job',
    async (_how, code, stopThread, detail) => {
      let calls = 0;
      const { sut, start, events } = setUp(async () => (++calls === 1 ? never() : clean));
      const first = sut.send(job, new AbortController().signal, turns().turn);
      await settle();
      stopThread(events);
      await expect(first).rejects.toMatchObject({ code });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(detail));
      expect(await sut.send(job, new AbortController().signal, turns().turn)).toEqual(clean);
      expect(start).toHaveBeenCalledTimes(2);
    },
  );

  it('should refuse a job whose signal has already aborted, starting no thread', async () => {
    const { sut, start } = setUp(async () => clean);
    const stop = new AbortController();
    stop.abort(new Error('already stopped'));
    await expect(sut.send(job, stop.signal, turns().turn)).rejects.toThrow('already stopped');
    expect(start).not.toHaveBeenCalled();
  });

  it('should run a real worker thread with its settings, fail its jobs in hand on close, and start another after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scan-thread-'));
    try {
      // A stand-in for the built scan-thread.js: never answers a job for "hang"; fails every
      // other with the bucket it was started with.
      const script = join(dir, 'thread.mjs');
      await writeFile(
        script,
        `import { parentPort, workerData } from 'node:worker_threads';
         parentPort.on('message', ({ type, id, job }) => type === 'send' && job.key !== 'hang' &&
           parentPort.postMessage({ type: 'failed', id, error: { name: 'Error', message: workerData.s3.bucket } }));`,
      );
      const sut = ScanThread.of(script, {
        s3: { bucket: 'from-settings', region: 'us-east-1', forcePathStyle: true },
        clamav: { url: 'tcp://127.0.0.1:1', connectTimeoutMs: 100, idleTimeoutMs: 1000 },
      });
      await expect(sut.send(job, new AbortController().signal, turns().turn)).rejects.toThrow(
        'from-settings',
      );
      const hanging = sut.send({ ...job, key: 'hang' }, new AbortController().signal, turns().turn);
      await sut.close();
      await expect(hanging).rejects.toEqual(new ScanThreadError('stopped', 'the scan thread was stopped'));
      await expect(sut.send(job, new AbortController().signal, turns().turn)).rejects.toThrow(
        'from-settings',
      );
      await sut.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
