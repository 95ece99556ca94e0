#!/usr/bin/env node
// Writes `<file>.br` and `<file>.gz` beside every compressible file of a built web app, once, at
// build time, at the highest levels, so that the server sends them as they are (@fastify/static's
// `preCompressed`) instead of compressing on every request. A copy that would not be smaller is
// not written. usage: precompress.mjs <folder>
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|ico|webmanifest)$/;
/** Below this, headers outweigh what compression saves. */
const MIN_BYTES = 1024;

const ENCODINGS = [
  ['.br', (data) => brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })],
  ['.gz', (data) => gzipSync(data, { level: 9 })],
];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

const dir = process.argv[2];
if (!dir || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`precompress: ${dir ? `${dir} is not a folder` : 'usage: precompress.mjs <folder>'}`);
  process.exit(2);
}
let written = 0;
for (const path of files(dir)) {
  const data = readFileSync(path);
  for (const [suffix, compress] of ENCODINGS) {
    rmSync(path + suffix, { force: true });
    if (data.length < MIN_BYTES) continue;
    const packed = compress(data);
    if (packed.length >= data.length) continue;
    writeFileSync(path + suffix, packed);
    written++;
  }
}
console.log(`precompress: ${written} files written in ${dir}`);
