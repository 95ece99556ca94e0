import { connect, type NetConnectOpts, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { parseClamdUrl } from './clamd-address';
import { parseScanReply, type ScanVerdict } from './scan-verdict';
import { ScannerUnavailableError, type ScannerFault } from './scanner-unavailable.error';

export interface ClamdTimeouts {
  /** The longest to wait for the connection, so that a clamd that is down fails fast. */
  connectTimeoutMs: number;
  /**
   * The longest the socket may stay silent. clamd says nothing while it scans what it was sent, so
   * this must outlast its MaxScanTime (120 s by default).
   */
  idleTimeoutMs: number;
}

export const DEFAULT_CLAMD_TIMEOUTS: ClamdTimeouts = { connectTimeoutMs: 5_000, idleTimeoutMs: 180_000 };

/** clamd reads chunks of any length up to StreamMaxLength; small ones keep its memory flat. */
export const MAX_CHUNK_BYTES = 64 * 1024;
const MAX_REPLY_BYTES = 4096;
const END_OF_STREAM = Buffer.alloc(4);

const SOCKET_FAULTS = new Map<string | undefined, ScannerFault>([
  ['ECONNREFUSED', 'connection_refused'],
  ['ENOENT', 'connection_refused'],
  ['ECONNRESET', 'connection_reset'],
  ['EPIPE', 'connection_reset'],
]);

/** Our own clamd client: the npm ones read an empty reply as clean and a size-limit error as infected. */
export class ClamdClient {
  private readonly address: NetConnectOpts;

  constructor(
    readonly url: string,
    private readonly timeouts: ClamdTimeouts = DEFAULT_CLAMD_TIMEOUTS,
  ) {
    this.address = parseClamdUrl(url);
  }

  /** Resolves when clamd answers PING with PONG; otherwise throws ScannerUnavailableError. */
  async ping(signal?: AbortSignal): Promise<void> {
    const reply = await this.exchange((socket) => send(socket, Buffer.from('zPING\0')), signal);
    if (reply !== 'PONG')
      throw new ScannerUnavailableError('garbled_reply', `clamd answered PING with "${reply}"`);
  }

  /**
   * Streams bytes to clamd (INSTREAM) as fast as it reads them and returns its verdict. Throws
   * ScannerUnavailableError when there is none, the source's own error when reading it fails, and
   * the signal's reason when aborted.
   *
   * clamd scans a stream only once it has ended, so a caller can send the next file while clamd
   * scans the last one: `turn`, when given, is awaited before the stream's end, and the release it
   * resolves with is called once the scan is over (however it ends).
   */
  async scan(
    source: AsyncIterable<Uint8Array> | Readable,
    signal?: AbortSignal,
    turn?: () => Promise<() => void>,
  ): Promise<ScanVerdict> {
    let over = false;
    let release: (() => void) | undefined;
    const exchanged = this.exchange(async (socket) => {
      if (!(await send(socket, Buffer.from('zINSTREAM\0')))) return;
      for await (const chunk of source as AsyncIterable<unknown>) {
        if (!(chunk instanceof Uint8Array))
          throw new TypeError('scan() reads bytes: give it a stream without an encoding');
        // A zero-length chunk would end the stream early, so empty chunks are skipped.
        for (let at = 0; at < chunk.byteLength; at += MAX_CHUNK_BYTES) {
          // A closed socket ends the loop; its error or the reply clamd sent first is the result.
          if (!(await sendFrame(socket, chunk.subarray(at, at + MAX_CHUNK_BYTES)))) return;
        }
      }
      const taken = await turn?.();
      // The exchange may have ended meanwhile (clamd hung up, the scan was aborted).
      if (over) return taken?.();
      release = taken;
      await send(socket, END_OF_STREAM);
    }, signal);
    try {
      return parseScanReply(await exchanged);
    } finally {
      over = true;
      release?.();
    }
  }

  /** Connects, runs `write`, and resolves with clamd's reply up to its NUL. */
  private exchange(write: (socket: Socket) => Promise<unknown>, signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const received: Buffer[] = [];
      let size = 0;
      let settled = false;
      const socket = connect(this.address);
      const finish = (error?: unknown, reply?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        if (error !== undefined) reject(error);
        else resolve(reply ?? '');
      };
      const fail = (code: ScannerFault, message: string) =>
        finish(new ScannerUnavailableError(code, `${message} (clamd at ${this.url})`));
      const onAbort = () => finish(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const connectTimer = setTimeout(
        () => fail('timeout', `no connection within ${this.timeouts.connectTimeoutMs} ms`),
        this.timeouts.connectTimeoutMs,
      );
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        socket.setTimeout(this.timeouts.idleTimeoutMs, () =>
          fail('timeout', `no progress for ${this.timeouts.idleTimeoutMs} ms`),
        );
        write(socket).catch(finish);
      });
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        size += chunk.byteLength;
        const all = Buffer.concat(received);
        const end = all.indexOf(0);
        if (end >= 0) finish(undefined, all.subarray(0, end).toString('utf8'));
        else if (size > MAX_REPLY_BYTES)
          fail('garbled_reply', `a reply of over ${MAX_REPLY_BYTES} bytes without an end`);
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        fail(SOCKET_FAULTS.get(error.code) ?? 'connection_failed', error.message),
      );
      socket.once('close', () =>
        size === 0
          ? fail('empty_reply', 'the connection closed without a verdict')
          : fail('garbled_reply', `the connection closed in the middle of a reply`),
      );
    });
  }
}

/** Writes, waiting for 'drain' when the socket's buffer is full; false once the socket is closed. */
function send(socket: Socket, bytes: Buffer): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  return socket.write(bytes) ? Promise.resolve(true) : drained(socket);
}

/**
 * Writes one INSTREAM chunk: its length, then the bytes as they are (one write of both, without
 * copying the bytes into a new buffer).
 */
function sendFrame(socket: Socket, bytes: Uint8Array): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.byteLength);
  socket.cork();
  socket.write(length);
  const room = socket.write(bytes);
  socket.uncork();
  return room ? Promise.resolve(true) : drained(socket);
}

/** Resolves on 'drain' (true) or 'close' (false). */
function drained(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = () => {
      socket.off('drain', settle);
      socket.off('close', settle);
      resolve(!socket.destroyed);
    };
    socket.once('drain', settle);
    socket.once('close', settle);
  });
}
