import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { CreatedUpload } from '@dropgate/shared/api-contract';
import { ROOT } from './servers';

export interface FakeFile {
  name: string;
  mimeType: string;
  size: number;
  /** A real PNG, padded to `size`, so that the preview has something to draw. */
  image?: boolean;
  /** The file's exact bytes, when they matter (a test virus, an encrypted archive); `size` is ignored. */
  bytes?: Buffer;
}

// A 2×2 indigo PNG; bytes after its IEND chunk are ignored by decoders.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGPwd3sKRAwQCgAnDgXpGMvyuAAAAABJRU5ErkJggg==',
  'base64',
);

function contents(file: FakeFile): Buffer {
  if (file.bytes) return file.bytes;
  if (!file.image) return Buffer.alloc(file.size, 0x61);
  return Buffer.concat([PNG, Buffer.alloc(Math.max(0, file.size - PNG.length))]);
}

/** Picks files through the drop zone's file input, as a click on the zone would. */
export async function pickFiles(page: Page, files: FakeFile[]): Promise<void> {
  await page
    .locator('dg-dropzone input[type=file]')
    .setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: contents(f) })));
}

/** Drops files on the zone with a real DataTransfer, as a drag from the desktop would. */
export async function dropFiles(page: Page, files: FakeFile[]): Promise<void> {
  // The bytes cross into the page as base64: evaluate's arguments must be plain JSON.
  const list = files.map((f) => ({ name: f.name, type: f.mimeType, base64: contents(f).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((dropped) => {
    const transfer = new DataTransfer();
    for (const { name, type, base64 } of dropped) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], name, { type }));
    }
    return transfer;
  }, list);
  const zone = page.locator('ngx-dropzone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

export const rows = (page: Page) => page.locator('[dg-upload-item]');
export const row = (page: Page, name: string) => page.locator('[dg-upload-item]', { hasText: name });

/** A full-page screenshot kept with the test results. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = join(ROOT, 'tmp/web-e2e/screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Counts the uploads the page creates (each is signed): POST /api/uploads. */
export function countPresigns(page: Page): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/uploads')) count += 1;
  });
  return () => count;
}

export const USER_NAMES = { alice: 'Alice Example', bob: 'Bob Example', admin: 'Ada Admin' } as const;

/** Fills the local identity provider's sign-in form (on `page`, or in a pop-up). */
export async function chooseUser(page: Page, user: keyof typeof USER_NAMES): Promise<void> {
  await page.getByLabel(USER_NAMES[user]).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the app, signs in through the provider's form, and waits for the upload screen. */
export async function signIn(page: Page, user: keyof typeof USER_NAMES = 'alice'): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await chooseUser(page, user);
  await expect(page.getByTestId('user-name')).toHaveText(USER_NAMES[user]);
  await expect(page.getByText(/Up to [\d.]+ [KMG]?B per file/)).toBeVisible();
}

/** A file of `size` pseudo-random bytes on disk (large files are picked by path, not sent over CDP). */
export async function fileOnDisk(name: string, size: number): Promise<{ path: string; md5: string }> {
  const dir = join(ROOT, 'tmp/web-e2e/files');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const hash = createHash('md5');
  const out = createWriteStream(path);
  const chunk = randomBytes(8 * 1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    // Each chunk differs from the last, so that a part sent in another's place would show.
    chunk.writeUInt32BE(written / chunk.length, 0);
    const piece = chunk.subarray(0, Math.min(chunk.length, size - written));
    hash.update(piece);
    if (!out.write(Buffer.from(piece))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { path, md5: hash.digest('hex') };
}

/** Slows the page's uploads to `bytesPerSecond`, as a thin uplink would. */
export async function throttleUplink(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

/** Part PUTs the page sends to storage, with their part numbers and how each ended. */
export function watchPartPuts(page: Page) {
  const puts: { partNumber: number; status?: number; failed?: boolean }[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().includes('partNumber=')) {
      puts.push({ partNumber: Number(new URL(request.url()).searchParams.get('partNumber')) });
    }
  });
  const find = (url: string) => {
    const partNumber = Number(new URL(url).searchParams.get('partNumber'));
    return [...puts]
      .reverse()
      .find((p) => p.partNumber === partNumber && p.status === undefined && !p.failed);
  };
  page.on('requestfinished', async (request) => {
    if (request.method() !== 'PUT' || !request.url().includes('partNumber=')) return;
    const put = find(request.url());
    if (put) put.status = (await request.response())?.status() ?? 0;
  });
  page.on('requestfailed', (request) => {
    if (request.method() !== 'PUT' || !request.url().includes('partNumber=')) return;
    const put = find(request.url());
    if (put) put.failed = true;
  });
  return {
    all: () => puts,
    stored: () => puts.filter((p) => p.status === 200).map((p) => p.partNumber),
  };
}

/** Picks a file from disk through the drop zone's input. */
export async function pick(page: Page, path: string): Promise<void> {
  await page.locator('dg-dropzone input[type=file]').setInputFiles(path);
}

/** The upload the API creates for the next file. */
export function nextCreated(page: Page): Promise<CreatedUpload> {
  return page
    .waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/uploads'))
    .then((r) => r.json());
}
