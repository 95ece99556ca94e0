import { expect, test } from '@playwright/test';
import { stagingKeyOf, storedSize } from './support/bucket';
import { countPresigns, dropFiles, pickFiles, row, rows, screenshot, signIn } from './support/page';

test.beforeEach(async ({ page }) => {
  await signIn(page);
  await expect(page.getByText(/Up to 5 MB per file/)).toBeVisible();
});

test('should upload three files at once and store each with its size', async ({ page }, testInfo) => {
  await screenshot(page, testInfo, 'empty');
  const files = [
    { name: 'q3 report.pdf', mimeType: 'application/pdf', size: 300_000 },
    { name: 'photo.png', mimeType: 'image/png', size: 120_000, image: true },
    { name: 'notes.txt', mimeType: 'text/plain', size: 2_000 },
  ];
  await pickFiles(page, files);
  await expect(rows(page)).toHaveCount(3);
  for (const file of files) await expect(row(page, file.name)).toHaveAttribute('data-status', 'done');
  // Done means the API checked the stored object and made the upload available.
  for (const file of files) {
    await expect(row(page, file.name).getByRole('button', { name: `Download ${file.name}` })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: '3 of 3 uploaded' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/stored/);
  await screenshot(page, testInfo, 'done');

  for (const file of files) {
    const key = await row(page, file.name).locator('code.key').textContent();
    expect(key).toMatch(new RegExp(`^uploads/[a-z2-7]{26}/\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}/${file.name}$`));
    expect(await storedSize(key ?? '')).toBe(file.size);
  }
});

test('should take a dozen mixed files through, refusing the two it must', async ({ page }) => {
  // More files than can start at once: the ones that go in one POST are created in one batch.
  const batches: string[][] = [];
  const singles: string[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST') return;
    const body = () => JSON.parse(request.postData() ?? '{}');
    if (request.url().endsWith('/api/uploads/batch'))
      batches.push(body().files.map((file: { fileName: string }) => file.fileName));
    if (request.url().endsWith('/api/uploads')) singles.push(body().fileName);
  });
  const files = [
    { name: 'contract.pdf', mimeType: 'application/pdf', size: 800_000 },
    { name: 'team.png', mimeType: 'image/png', size: 200_000, image: true },
    { name: 'holiday.jpg', mimeType: 'image/jpeg', size: 350_000 },
    { name: 'readme.txt', mimeType: 'text/plain', size: 1_200 },
    { name: 'export.csv', mimeType: 'text/csv', size: 90_000 },
    { name: 'settings.json', mimeType: 'application/json', size: 4_000 },
    { name: 'archive.zip', mimeType: 'application/zip', size: 1_500_000 },
    {
      name: 'minutes.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size: 60_000,
    },
    {
      name: 'budget.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      size: 45_000,
    },
    { name: 'demo.mp4', mimeType: 'video/mp4', size: 2_500_000 },
    { name: 'installer.exe', mimeType: 'application/x-msdownload', size: 30_000 },
    { name: 'scan.pdf', mimeType: 'application/pdf', size: 7 * 1024 * 1024 },
  ];
  await pickFiles(page, files);
  await expect(rows(page)).toHaveCount(12);
  await expect(page.getByRole('heading', { name: '10 of 10 uploaded' })).toBeVisible({ timeout: 40_000 });
  await expect(page.locator('[dg-upload-item][data-status="done"]')).toHaveCount(10);
  await expect(row(page, 'installer.exe')).toContainText('type not allowed: .exe');
  await expect(row(page, 'scan.pdf')).toContainText('too large: 7 MB, limit 5 MB');
  expect(batches).toHaveLength(1);
  expect(batches[0].length).toBeGreaterThan(4);
  expect(batches[0].filter((name) => singles.includes(name))).toEqual([]);
  expect(batches[0].length + singles.length).toBe(10);
  for (const file of files.slice(0, 10)) {
    const key = await row(page, file.name).locator('code.key').textContent();
    expect(await storedSize(key ?? '')).toBe(file.size);
  }
});

test('should upload a file dropped on the zone', async ({ page }) => {
  await dropFiles(page, [{ name: 'dropped.csv', mimeType: 'text/csv', size: 512 }]);
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, 'dropped.csv')).toHaveAttribute('data-status', 'done');
});

test('should refuse a file over the limit in the browser and never sign it', async ({ page }) => {
  const presigns = countPresigns(page);
  await pickFiles(page, [{ name: 'huge.pdf', mimeType: 'application/pdf', size: 6 * 1024 * 1024 }]);
  await expect(row(page, 'huge.pdf')).toHaveAttribute('data-status', 'rejected');
  await expect(row(page, 'huge.pdf')).toContainText('too large: 6 MB, limit 5 MB');
  await expect(page.getByRole('status')).toContainText('huge.pdf refused: too large');
  expect(presigns()).toBe(0);
});

test('should refuse a type that is not allowed', async ({ page }) => {
  const presigns = countPresigns(page);
  await pickFiles(page, [{ name: 'setup.exe', mimeType: 'application/x-msdownload', size: 1000 }]);
  await expect(row(page, 'setup.exe')).toContainText('type not allowed: .exe');
  expect(presigns()).toBe(0);
});

test('should leave no object when an upload is canceled mid-way', async ({ page }, testInfo) => {
  let key = '';
  page.on('response', async (response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/api/uploads'))
      key = (await response.json()).key;
  });
  // A slow uplink (256 KB/s), so that the upload is part-way through when canceled.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });
  await pickFiles(page, [{ name: 'big.zip', mimeType: 'application/zip', size: 4 * 1024 * 1024 }]);
  const progress = row(page, 'big.zip').getByRole('progressbar');
  await expect
    .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 20_000 })
    .toBeGreaterThan(20);
  await expect(row(page, 'big.zip')).toContainText(/KB\/s|MB\/s/);
  await screenshot(page, testInfo, 'uploading');

  await page.getByRole('button', { name: 'Cancel big.zip' }).click();
  await expect(row(page, 'big.zip')).toHaveAttribute('data-status', 'canceled');
  await page.waitForTimeout(1000);
  expect(key).not.toBe('');
  expect(await storedSize(stagingKeyOf(key))).toBeUndefined();
  expect(await storedSize(key)).toBeUndefined();
});

test('should succeed when a person retries after a failure', async ({ page }) => {
  let refused = false;
  await page.route('**/dropgate-test', async (route) => {
    if (refused) return route.continue();
    refused = true;
    return route.fulfill({
      status: 403,
      contentType: 'application/xml',
      headers: { 'access-control-allow-origin': 'http://127.0.0.1:3100' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message></Message></Error>',
    });
  });
  await pickFiles(page, [{ name: 'again.pdf', mimeType: 'application/pdf', size: 4096 }]);
  await expect(row(page, 'again.pdf')).toHaveAttribute('data-status', 'failed');
  await expect(row(page, 'again.pdf')).toContainText('Rejected by storage (AccessDenied)');

  await page.getByRole('button', { name: 'Retry again.pdf' }).click();
  await expect(row(page, 'again.pdf')).toHaveAttribute('data-status', 'done');
  const key = await row(page, 'again.pdf').locator('code.key').textContent();
  expect(await storedSize(key ?? '')).toBe(4096);
});

test('should clear completed files and keep the rest', async ({ page }) => {
  await pickFiles(page, [
    { name: 'keep-me-out.exe', mimeType: 'application/x-msdownload', size: 10 },
    { name: 'fine.txt', mimeType: 'text/plain', size: 10 },
  ]);
  await expect(row(page, 'fine.txt')).toHaveAttribute('data-status', 'done');
  await page.getByRole('button', { name: 'Clear completed' }).click();
  await expect(rows(page)).toHaveCount(0);
});

test('should be usable from the keyboard', async ({ page }) => {
  // The header comes first (Upload, My uploads, Sign out), then the drop zone.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Tab');
  const input = page.locator('dg-dropzone input[type=file]');
  await expect(input).toBeFocused();
  await expect(input).toHaveAttribute('aria-label', 'Drop files here or click to choose');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles({ name: 'typed.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(row(page, 'typed.txt')).toHaveAttribute('data-status', 'done');
});

test('should fit a phone-width screen', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await pickFiles(page, [
    {
      name: 'a-rather-long-file-name-from-a-phone-camera-roll-2026-11-24.png',
      mimeType: 'image/png',
      size: 5000,
    },
    { name: 'too-big.pdf', mimeType: 'application/pdf', size: 6 * 1024 * 1024 },
  ]);
  await expect(rows(page).first()).toHaveAttribute('data-status', 'done');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, testInfo, 'phone');
});
