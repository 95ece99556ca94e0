import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { quoted } from './s3-conditions';

export interface RangedReadOptions {
  /** The bytes of each GET. */
  rangeBytes: number;
  /** GETs under way at once, ahead of the reader: at most rangeBytes × inFlight held in memory. */
  inFlight: number;
}

/**
 * 4 GETs of 4 MiB: one GetObject stream runs at the speed of one connection to the store; several
 * ranges at once read a large object several times faster (as S3's transfer managers do), while
 * holding at most 16 MiB.
 */
export const RANGED_READ: RangedReadOptions = { rangeBytes: 4 * 1024 ** 2, inFlight: 4 };

interface Target {
  client: S3Client;
  bucket: string;
  key: string;
  /** Without quotes; every range is read only while the object still has it. */
  etag: string;
}

/**
 * One range, `start` to `end` inclusive: its bytes as the connection delivered them. They are kept
 * as those chunks rather than joined into one buffer: joining copied every byte once more and
 * allocated a buffer the range's size for each range, which cost the API about a sixth more CPU
 * per scanned file.
 */
export async function readRange(
  target: Target,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<Buffer[]> {
  const object = await target.client.send(
    new GetObjectCommand({
      Bucket: target.bucket,
      Key: target.key,
      IfMatch: quoted(target.etag),
      Range: `bytes=${start}-${end}`,
    }),
    { abortSignal: signal },
  );
  if (!(object.Body instanceof Readable))
    throw new Error(`GetObject of ${target.key} answered without a Node stream`);
  const chunks: Buffer[] = [];
  for await (const chunk of object.Body) chunks.push(chunk as Buffer);
  return chunks;
}

/**
 * The object's `size` bytes as a stream, in order, read `inFlight` ranges at a time; the first
 * range is `first`, already read (so that a changed or missing object is known before any stream
 * exists). Destroying the stream, or `signal`, cancels the GETs under way.
 */
export function rangedStream(
  target: Target,
  size: number,
  first: Buffer[],
  options: RangedReadOptions,
  signal?: AbortSignal,
): Readable {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const starts: number[] = [];
  const firstBytes = first.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  for (let start = firstBytes; start < size; start += options.rangeBytes) starts.push(start);
  const pending: Promise<Buffer[]>[] = [];
  const next = () => {
    const start = starts.shift();
    if (start === undefined) return;
    const read = readRange(target, start, Math.min(start + options.rangeBytes, size) - 1, stop.signal);
    // Handled when its turn comes; until then a failure must not count as unhandled.
    read.catch(() => undefined);
    pending.push(read);
  };
  async function* ranges(): AsyncGenerator<Buffer> {
    try {
      yield* first;
      for (let i = 0; i < options.inFlight; i++) next();
      while (pending.length > 0) {
        const chunks = await (pending.shift() as Promise<Buffer[]>);
        next();
        yield* chunks;
      }
    } finally {
      stop.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }
  return Readable.from(ranges(), { objectMode: false });
}
