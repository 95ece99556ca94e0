import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { UploadsConfig } from '@dropgate/shared/api-contract';
import { pickFiles, row, screenshot, signIn } from './support/page';

test('should name accepted kinds a person knows, "any file" for bytes of any type', async ({ page }) => {
  // The API's own rules, with application/octet-stream allowed as some deployments do.
  await page.route(/\/api\/uploads\/config$/, async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as UploadsConfig;
    await route.fulfill({
      response,
      json: { ...config, allowedTypes: [...config.allowedTypes, 'application/octet-stream'] },
    });
  });
  await signIn(page);
  const lead = page.locator('.lead');
  await expect(lead).toContainText('any file');
  await expect(lead).toContainText('images');
  await expect(lead).not.toContainText('STREAM');
});

test('should show a stored file by name, size and Download, with its key behind a toggle', async ({
  page,
}, testInfo) => {
  await signIn(page);
  const name = `stored-view-${Date.now()}.txt`;
  await pickFiles(page, [{ name, mimeType: 'text/plain', size: 3000 }]);
  const item = row(page, name);
  await expect(item).toHaveAttribute('data-status', 'done');
  await expect(item).toContainText(name);
  await expect(item).toContainText('2.9 KB');
  await expect(item).not.toContainText('Stored as');
  const key = item.locator('code.key');
  await expect(key).toBeHidden();

  await item.getByText('Storage details').click();
  await expect(key).toBeVisible();
  await expect(key).toHaveText(/^uploads\//);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, testInfo, 'upload-stored-390');
  await page.setViewportSize({ width: 1280, height: 860 });

  const downloading = page.waitForEvent('download');
  await item.getByRole('button', { name: `Download ${name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  const bytes = await readFile((await download.path()) ?? '');
  expect(bytes.equals(Buffer.alloc(3000, 0x61))).toBe(true);
});
