import { expect, test } from '@playwright/test';
import { countPresigns, pickFiles, row, screenshot, signIn } from './support/page';

// This API signs policies that expire after five seconds; the POST to storage is held longer.
test.use({ baseURL: 'http://127.0.0.1:3101' });

test('should show the mapped error when storage refuses an expired policy', async ({ page }, testInfo) => {
  const presigns = countPresigns(page);
  await page.route('**/dropgate-test', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 7000));
    await route.continue();
  });
  await signIn(page);
  await expect(page.getByText(/Up to 100 MB per file/)).toBeVisible();
  await pickFiles(page, [{ name: 'slow.pdf', mimeType: 'application/pdf', size: 1024 }]);
  await expect(row(page, 'slow.pdf')).toHaveAttribute('data-status', 'failed', { timeout: 45_000 });
  await expect(row(page, 'slow.pdf')).toContainText('This upload link expired — retry');
  // The first attempt and the two automatic re-signs the retry table allows.
  expect(presigns()).toBe(3);
  await screenshot(page, testInfo, 'error');
});

test('should re-sign an expired policy and succeed when the send is quick enough', async ({ page }) => {
  const presigns = countPresigns(page);
  let held = false;
  await page.route('**/dropgate-test', async (route) => {
    if (!held) {
      held = true;
      await new Promise((resolve) => setTimeout(resolve, 7000));
    }
    await route.continue();
  });
  await signIn(page);
  await expect(page.getByText(/Up to 100 MB per file/)).toBeVisible();
  await pickFiles(page, [{ name: 'resigned.pdf', mimeType: 'application/pdf', size: 1024 }]);
  await expect(row(page, 'resigned.pdf')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect(presigns()).toBe(2);
});
