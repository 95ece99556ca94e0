#!/usr/bin/env node
// `npm run bench`: presign throughput of the full API against its two floors, upload throughput
// through the API against direct POSTs, and the web app's initial JavaScript. Prints a markdown
// table and writes JSON to bench-results/. `--quick` shortens every run (for a smoke check only).
import { execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = join(import.meta.dirname, '../..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' } } });
const SECONDS = flags.quick ? 3 : 10;
const WARMUP = flags.quick ? 1 : 3;
const BIG = flags.quick ? 32 * 1024 ** 2 : 256 * 1024 ** 2;
const SMALL_COUNT = flags.quick ? 40 : 200;
const SMALL = 64 * 1024;
const CONCURRENCY = 4;
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return cpus().length >= 2;
  } catch {
    return false;
  }
})();
const pinned = (core, command, args) =>
  hasTaskset ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];

function say(message) {
  console.error(`bench: ${message}`);
}

function startServer(args, env, readyPattern) {
  const [command, argv] = pinned(1, 'node', args);
  const child = spawn(command, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (readyPattern.test(output)) {
        child.stdout.resume();
        child.stdout.removeAllListeners('data');
        // Keep draining, as a terminal would, so that logging costs what it costs in production.
        child.stdout.on('data', () => undefined);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

function load(url) {
  const [command, argv] = pinned(0, 'node', ['tools/bench/load.mjs', url, String(SECONDS), String(WARMUP)]);
  return JSON.parse(execFileSync(command, argv, { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
}

async function presignRows(env) {
  const apiEnv = { ...env, PORT: '3210', RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'info' };
  const rows = [];
  say('presign: full API');
  let server = await startServer(['dist/apps/api/main.js'], apiEnv, /Dropgate API listening/);
  rows.push({
    name: 'Dropgate API (npm start build)',
    ...load('http://127.0.0.1:3210/api/uploads/presigned-post'),
  });
  await stop(server);

  say('presign: SDK floor');
  server = await startServer(['tools/bench/floor-servers.mjs', 'sdk', '3211'], env, /ready/);
  rows.push({
    name: 'node:http + @aws-sdk/s3-presigned-post',
    ...load('http://127.0.0.1:3211/api/uploads/presigned-post'),
  });
  await stop(server);

  say('presign: signing floor (and a check that the gateway accepts its policies)');
  server = await startServer(['tools/bench/floor-servers.mjs', 'signing', '3212'], env, /ready/);
  const accepted = await floorPolicyAccepted('http://127.0.0.1:3212/api/uploads/presigned-post');
  rows.push({
    name: 'node:http + minimal SigV4 signer',
    ...load('http://127.0.0.1:3212/api/uploads/presigned-post'),
    accepted,
  });
  await stop(server);
  return rows;
}

async function floorPolicyAccepted(url) {
  const body = new Uint8Array(12345).fill(0x61);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: 'check.pdf', contentType: 'application/pdf', size: body.length }),
  });
  const post = await response.json();
  const status = await postForm(post.url, post.fields, body);
  if (status !== 201) throw new Error(`the gateway refused the signing floor's policy (${status})`);
  return true;
}

async function postForm(url, fields, bytes, fileName = 'file') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), fileName);
  const response = await fetch(url, { method: 'POST', body: form });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `count` uploads, `CONCURRENCY` at a time, and returns the wall-clock seconds. */
async function timed(count, upload) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const index = next++;
        const status = await upload(index);
        if (status !== 201) throw new Error(`upload ${index} answered ${status}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function uploadRows(env) {
  const server = await startServer(
    ['dist/apps/api/main.js'],
    { ...env, PORT: '3213', RATE_LIMIT_MAX: '1000000000', UPLOAD_MAX_FILE_SIZE: String(1024 ** 3) },
    /Dropgate API listening/,
  );
  const s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const viaApi = (size, type, name) => async () => {
    const response = await fetch('http://127.0.0.1:3213/api/uploads/presigned-post', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: name, contentType: type, size }),
    });
    if (response.status !== 201)
      throw new Error(`presign answered ${response.status}: ${await response.text()}`);
    const post = await response.json();
    return postForm(post.url, post.fields, bytesOf(size), name);
  };
  const direct = async (size, type) => {
    // One policy for every file: `${filename}` in the key, an exact size and type.
    const post = await createPresignedPost(s3, {
      Bucket: env.S3_BUCKET,
      Key: 'bench/direct/${filename}',
      Fields: { 'Content-Type': type, success_action_status: '201' },
      Conditions: [['content-length-range', size, size]],
      Expires: 3600,
    });
    return (index) => postForm(post.url, post.fields, bytesOf(size), `f${index}-${Date.now()}.bin`);
  };
  const rows = [];
  try {
    for (const [label, count, size, type] of [
      [`1 × ${BIG / 1024 ** 2} MiB`, 1, BIG, 'application/zip'],
      [`${SMALL_COUNT} × 64 KiB`, SMALL_COUNT, SMALL, 'application/pdf'],
    ]) {
      say(`uploads: ${label}, direct`);
      const directSeconds = await timed(count, await direct(size, type));
      say(`uploads: ${label}, through the API`);
      const apiSeconds = await timed(count, (i) =>
        viaApi(size, type, `f${i}.${type === 'application/zip' ? 'zip' : 'pdf'}`)(),
      );
      const mb = (count * size) / 1e6;
      rows.push({
        name: label,
        api: { mbps: mb / apiSeconds, filesPerSecond: count / apiSeconds, seconds: apiSeconds },
        direct: { mbps: mb / directSeconds, filesPerSecond: count / directSeconds, seconds: directSeconds },
        ratio: directSeconds / apiSeconds,
      });
    }
  } finally {
    s3.destroy();
    await stop(server);
  }
  return rows;
}

const buffers = new Map();
function bytesOf(size) {
  if (!buffers.has(size)) buffers.set(size, new Uint8Array(size).fill(0x62));
  return buffers.get(size);
}

function webSizes() {
  const dir = join(root, 'dist/apps/web/browser');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  // Initial JavaScript: the entry scripts and what they preload.
  const files = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]);
  const initial = [...new Set(files)].map((file) => readFileSync(join(dir, file)));
  const lazy = readdirSync(dir).filter((f) => f.endsWith('.js') && !files.includes(f));
  return {
    files: files.length,
    raw: initial.reduce((sum, b) => sum + b.length, 0),
    gzip: initial.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
    lazyFiles: lazy.length,
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const num = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report({ presign, uploads, web, machine }) {
  const lines = [];
  lines.push(
    `Machine: ${machine.cpu} (${machine.cores} cores), Node ${machine.node}; ${machine.date}; \`npm run bench\`${flags.quick ? ' --quick' : ''}`,
  );
  lines.push(
    `Presign: autocannon, 16 connections, ${SECONDS} s after ${WARMUP} s warm-up; ${hasTaskset ? 'server on core 1, load on core 0' : 'not pinned (no taskset)'}.`,
  );
  lines.push('');
  lines.push('| presign endpoint | req/s | p50 ms | p99 ms | errors |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const r of presign) lines.push(`| ${r.name} | ${num(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  const [api, sdk, floor] = presign;
  lines.push('');
  lines.push(
    `API / SDK floor: **${(api.rps / sdk.rps).toFixed(2)}**; API / signing floor: **${(api.rps / floor.rps).toFixed(2)}** (goal ≥ 0.5). The gateway accepted the signing floor's policy: ${floor.accepted ? 'yes' : 'no'}.`,
  );
  lines.push('');
  lines.push(
    `| uploads (concurrency ${CONCURRENCY}) | through API MB/s | files/s | direct MB/s | files/s | API / direct |`,
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of uploads) {
    lines.push(
      `| ${r.name} | ${num(r.api.mbps, 1)} | ${num(r.api.filesPerSecond, 1)} | ${num(r.direct.mbps, 1)} | ${num(r.direct.filesPerSecond, 1)} | ${r.ratio.toFixed(2)} |`,
    );
  }
  lines.push('');
  lines.push('| web app, initial JavaScript | raw | gzip | goal |');
  lines.push('| --- | ---: | ---: | ---: |');
  lines.push(
    `| ${web.files} files (+${web.lazyFiles} lazy) | ${kb(web.raw)} | ${kb(web.gzip)} | ≤ 150 KB gzip |`,
  );
  return lines.join('\n');
}

async function main() {
  for (const built of ['dist/apps/api/main.js', 'dist/apps/web/browser/index.html']) {
    if (!existsSync(join(root, built))) {
      say('building the API and the web app');
      execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'web', '--output-style=static'], {
        cwd: root,
        stdio: 'inherit',
      });
      break;
    }
  }
  say('starting the throwaway gateway');
  const { env, startedNow } = JSON.parse(
    execFileSync('node', ['tools/local-s3/test-gateway.mjs', 'start'], { cwd: root, encoding: 'utf8' }),
  );
  try {
    const presign = await presignRows(env);
    const uploads = await uploadRows(env);
    const web = webSizes();
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
    };
    const result = { machine, quick: !!flags.quick, presign, uploads, web };
    const table = report(result);
    console.log(table);
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    const file = join(root, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    say(`wrote ${file}`);
  } finally {
    if (startedNow)
      execFileSync('node', ['tools/local-s3/test-gateway.mjs', 'stop'], { cwd: root, stdio: 'inherit' });
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
