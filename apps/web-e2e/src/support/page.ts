import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { ROOT } from './servers';

export interface FakeFile {
  name: string;
  mimeType: string;
  size: number;
  /** A real PNG, padded to `size`, so that the preview has something to draw. */
  image?: boolean;
}

// A 2×2 indigo PNG; bytes after its IEND chunk are ignored by decoders.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGPwd3sKRAwQCgAnDgXpGMvyuAAAAABJRU5ErkJggg==',
  'base64',
);

function contents(file: FakeFile): Buffer {
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
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list)
      transfer.items.add(new File([new Uint8Array(f.size).fill(0x61)], f.name, { type: f.mimeType }));
    return transfer;
  }, files);
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
