import { createMD5 } from 'hash-wasm';
import type { Md5Job, Md5Result } from './md5-messages';

/** Read in slices, so that hashing a 5 GiB part never holds it in memory at once. */
const CHUNK = 4 * 1024 * 1024;

// Typed by hand: the app's DOM typings describe a window, not a worker's global scope.
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Md5Job>) => void) | null;
  postMessage(message: Md5Result): void;
};

const md5 = createMD5();
/** One job at a time: the hasher is reused, and interleaved updates would mix two blobs. */
let queue: Promise<unknown> = Promise.resolve();

scope.onmessage = ({ data }) => {
  queue = queue.then(() => hash(data));
};

async function hash({ id, blob }: Md5Job): Promise<void> {
  try {
    const hasher = await md5;
    hasher.init();
    for (let offset = 0; offset < blob.size; offset += CHUNK) {
      hasher.update(new Uint8Array(await blob.slice(offset, offset + CHUNK).arrayBuffer()));
    }
    scope.postMessage({ id, md5: toBase64(hasher.digest('binary')) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
