// clamd as the bench sees it: a local file scanned straight through INSTREAM (the floor the scan
// worker is compared with), and when the API has a connection to clamd open (a scan under way).
// The API's ClamdClient is TypeScript importing without file extensions, which plain Node cannot
// load, so INSTREAM is written here, framed as that client frames it.
import { once } from 'node:events';
import { createReadStream, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** The API's client sends at most 64 KiB a chunk; the floor does the same. */
const CHUNK_BYTES = 64 * 1024;

/** clamd's reply (e.g. `stream: OK`) to the file at `path`, sent with INSTREAM. */
export function scanFile(port, path) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      const end = reply.indexOf('\0');
      if (end < 0) return;
      resolve(reply.slice(0, end));
      socket.destroy();
    });
    // After a reply this changes nothing; before one, clamd hung up (a limit, say) or was not there.
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`clamd closed the connection without a verdict: "${reply}"`)));
    socket.once('connect', async () => {
      try {
        socket.write('zINSTREAM\0');
        for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
          const length = Buffer.alloc(4);
          length.writeUInt32BE(chunk.length);
          if (!socket.write(Buffer.concat([length, chunk]))) await once(socket, 'drain');
        }
        socket.write(Buffer.alloc(4));
      } catch (error) {
        socket.destroy(error);
      }
    });
  });
}

/**
 * Watches /proc/net/tcp every `everyMs` for an established connection to clamd's port, which the
 * API holds exactly while its scan worker streams an object in (it connects after opening the S3
 * read and closes on the verdict). `stop()` returns the spans, as `[from, to]` in
 * `performance.now()` time: how long the scans took, apart from the copy that follows each.
 */
export function watchClamd(port, everyMs = 5) {
  const remote = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const connected = () =>
    readFileSync('/proc/net/tcp', 'latin1')
      .split('\n')
      .some((line) => {
        // sl, local address, remote address, state (01: established), ...
        const [, , to, state] = line.trim().split(/\s+/);
        return state === '01' && to?.endsWith(remote);
      });
  const spans = [];
  let since;
  const timer = setInterval(() => {
    const now = performance.now();
    const open = connected();
    if (open && since === undefined) since = now;
    if (!open && since !== undefined) {
      spans.push([since, now]);
      since = undefined;
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      if (since !== undefined) spans.push([since, performance.now()]);
      return spans;
    },
  };
}

/** Milliseconds covered by the spans. */
export const spanMs = (spans) => spans.reduce((sum, [from, to]) => sum + to - from, 0);
