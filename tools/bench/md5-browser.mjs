// MD5 throughput in Chromium: the web app's own worker (hash-wasm), loaded from the built app as
// the upload page loads it, hashing 8 MiB parts one after another as the queue asks it to.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { spread } from './stats.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../browser/chromium.mjs';

const DIR = join(import.meta.dirname, '../../dist/apps/web/browser');
const PART = 8 * 1024 * 1024;

/** MB/s of the MD5 worker over `parts` parts of 8 MiB, `rounds` times, from a page at `origin`. */
export async function md5Throughput(origin, { parts, rounds }) {
  const worker = readdirSync(DIR).find((f) => /^worker-[A-Z0-9]+\.js$/.test(f));
  if (!worker) throw new Error('the built web app has no MD5 worker');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    // The app's own page, so that its Content-Security-Policy applies to the worker too.
    await page.goto(`${origin}/`);
    const seconds = await page.evaluate(
      async ({ url, part, parts, rounds }) => {
        const hasher = new Worker(url, { type: 'module' });
        let id = 0;
        const md5 = (blob) =>
          new Promise((resolve, reject) => {
            const job = ++id;
            hasher.onmessage = ({ data }) =>
              data.id === job && 'md5' in data ? resolve(data.md5) : reject(data);
            hasher.postMessage({ id: job, blob });
          });
        const bytes = new Uint8Array(part);
        for (let i = 0; i < part; i += 4096) bytes[i] = i % 251;
        const blob = new Blob([bytes]);
        await md5(blob);
        const times = [];
        for (let round = 0; round < rounds; round++) {
          const started = performance.now();
          for (let n = 0; n < parts; n++) await md5(blob.slice(0, part - (n % 2)));
          times.push((performance.now() - started) / 1000);
        }
        hasher.terminate();
        return times;
      },
      { url: `/${worker}`, part: PART, parts, rounds },
    );
    return spread(seconds.map((s) => (parts * PART) / 1e6 / s));
  } finally {
    await browser.close();
  }
}
