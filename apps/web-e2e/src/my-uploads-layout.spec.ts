import { expect, test, type Locator, type Page } from '@playwright/test';
import { pickFiles, row, screenshot, signIn } from './support/page';

/** The widest the page's content reaches, against the viewport's width. */
async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
}

/** The bottom edge of each cell of a row: the row border is drawn there, so they must agree. */
async function cellBottoms(listed: Locator): Promise<number[]> {
  return listed
    .locator('td')
    .evaluateAll((cells) =>
      cells
        .filter((cell) => getComputedStyle(cell).display !== 'none')
        .map((cell) => Math.round(cell.getBoundingClientRect().bottom)),
    );
}

/** Two uploads of this test, one of them deleted (so its row has no buttons). */
async function uploadTwo(page: Page): Promise<{ kept: string; deleted: string }> {
  const stamp = Date.now();
  const kept = `layout-kept-${stamp}-with-a-rather-long-name-for-a-phone-screen.txt`;
  const deleted = `layout-deleted-${stamp}.txt`;
  await pickFiles(page, [
    { name: kept, mimeType: 'text/plain', size: 2048 },
    { name: deleted, mimeType: 'text/plain', size: 100 },
  ]);
  await expect(row(page, kept)).toHaveAttribute('data-status', 'done');
  await expect(row(page, deleted)).toHaveAttribute('data-status', 'done');
  await page.getByRole('link', { name: 'My uploads' }).click();
  const listed = page.getByTestId('upload-row').filter({ hasText: deleted });
  await listed.getByRole('button', { name: `Delete ${deleted}` }).click();
  await listed.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(listed).toHaveAttribute('data-status', 'deleted');
  return { kept, deleted };
}

test('should show each upload as a card on a phone, with nothing wider than the screen', async ({
  page,
}, testInfo) => {
  await signIn(page, 'alice');
  const { kept, deleted } = await uploadTwo(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();

  const card = page.getByTestId('upload-row').filter({ hasText: kept });
  await expect(card).toBeVisible();
  await expect(page.getByTestId('upload-row').filter({ hasText: deleted })).toBeVisible();
  const { scrollWidth, viewport } = await horizontalOverflow(page);
  expect(scrollWidth).toBeLessThanOrEqual(viewport);
  expect(await card.evaluate((el) => getComputedStyle(el).display)).toBe('block');
  const box = await card.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  // The whole name shows, wrapped, and the actions fit inside the card.
  await expect(card.getByText(kept)).toBeVisible();
  const download = await card.getByRole('button', { name: `Download ${kept}` }).boundingBox();
  expect(download && download.x + download.width <= 390).toBe(true);
  await expect(page.getByRole('heading', { name: 'My uploads' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
  await expect(page.getByTestId('usage')).toContainText(/^\s*Using \d/);
  await screenshot(page, testInfo, 'my-uploads-390');
});

test('should line up every cell’s border in the table on a desktop, rows without buttons too', async ({
  page,
}, testInfo) => {
  await signIn(page, 'alice');
  const { kept, deleted } = await uploadTwo(page);
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.reload();

  for (const name of [kept, deleted]) {
    const listed = page.getByTestId('upload-row').filter({ hasText: name });
    await expect(listed).toBeVisible();
    expect(await listed.evaluate((el) => getComputedStyle(el).display)).toBe('table-row');
    const bottoms = await cellBottoms(listed);
    expect(bottoms.length).toBeGreaterThan(3);
    expect(new Set(bottoms).size).toBe(1);
  }
  const { scrollWidth, viewport } = await horizontalOverflow(page);
  expect(scrollWidth).toBeLessThanOrEqual(viewport);
  await expect(page.getByTestId('usage')).toContainText(/^\s*Using \d/);
  await screenshot(page, testInfo, 'my-uploads-1280');
});
