// The web app's initial JavaScript: its size raw and compressed on disk, and what the API actually
// sends for it to a browser that accepts brotli and gzip.
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '../..');
const DIR = join(root, 'dist/apps/web/browser');

/** The entry scripts `index.html` loads and what it preloads. */
function initialScripts() {
  const html = readFileSync(join(DIR, 'index.html'), 'utf8');
  return [
    ...new Set([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1])),
  ];
}

export function webSizes() {
  const files = initialScripts();
  const bytes = files.map((file) => readFileSync(join(DIR, file)));
  const sum = (f) => bytes.reduce((total, b) => total + f(b), 0);
  return {
    files: files.length,
    lazyFiles: readdirSync(DIR).filter((f) => f.endsWith('.js') && !files.includes(f)).length,
    raw: sum((b) => b.length),
    gzip: sum((b) => gzipSync(b, { level: 9 }).length),
    brotli: sum((b) => brotliCompressSync(b).length),
  };
}

/** Bytes on the wire for the initial scripts, fetched from `origin` as Chromium asks for them. */
export async function wireBytes(origin) {
  let total = 0;
  const encodings = new Set();
  for (const file of initialScripts()) {
    const { bytes, encoding } = await fetchRaw(`${origin}/${file}`);
    total += bytes;
    encodings.add(encoding ?? 'identity');
  }
  return { bytes: total, encodings: [...encodings] };
}

function fetchRaw(url) {
  return new Promise((resolve, reject) => {
    // node:http does not decompress, so the length read is the length sent.
    request(url, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk) => (bytes += chunk.length));
      response.on('end', () => resolve({ bytes, encoding: response.headers['content-encoding'] }));
    })
      .on('error', reject)
      .end();
  });
}
