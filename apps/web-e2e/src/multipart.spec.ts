import { rm } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { deleteObject, openMultipartUploads, stagingKeyOf, storedMd5, storedParts } from './support/bucket';
import { fileOnDisk, nextCreated, pick, row, signIn, throttleUplink, watchPartPuts } from './support/page';

const MiB = 1024 * 1024;

// This API sends files over 8 MiB in parts of 8 MiB.
test.use({ baseURL: 'http://127.0.0.1:3103' });

/** The item's progress, from its progress bar. */
async function percent(page: Page, name: string): Promise<number> {
  return Number(await row(page, name).getByRole('progressbar').getAttribute('aria-valuenow'));
}

test('should resume after a reload, sending only the parts storage lacks', async ({ page }) => {
  const file = await fileOnDisk('survey-48.zip', 48 * MiB);
  const puts = watchPartPuts(page);
  await signIn(page);
  await throttleUplink(page, 6 * MiB);
  const created = nextCreated(page);
  await pick(page, file.path);
  const upload = await created;
  expect(upload).toMatchObject({ method: 'multipart', partSize: 8 * MiB, partCount: 6 });
  await expect.poll(() => puts.stored().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

  await page.reload();
  await expect(page.getByTestId('unfinished')).toContainText('survey-48.zip');
  await expect(page.getByTestId('unfinished')).toContainText('add the same file again');
  const staged = stagingKeyOf(upload.key);
  const [uploadId] = await openMultipartUploads(staged);
  const storedBefore = await storedParts(staged, uploadId);
  expect(storedBefore.length).toBeGreaterThanOrEqual(3);
  expect(storedBefore.length).toBeLessThan(6);
  const sentBefore = puts.all().length;

  await pick(page, file.path);
  const item = row(page, 'survey-48.zip');
  await expect(item).toHaveAttribute('data-status', 'resumable');
  await expect(item).toContainText(
    `Resume: ${Math.floor((storedBefore.length * 8 * 100) / 48)}% already stored`,
  );
  await expect(page.getByTestId('unfinished')).toHaveCount(0);
  await item.getByRole('button', { name: 'Resume survey-48.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  const resent = puts
    .all()
    .slice(sentBefore)
    .map((p) => p.partNumber);
  const missing = [1, 2, 3, 4, 5, 6].filter((n) => !storedBefore.includes(n));
  expect([...resent].sort()).toEqual(missing);
  expect(await storedMd5(upload.key)).toBe(file.md5);
  await deleteObject(upload.key);
  await rm(file.path);
});

test('should pause, aborting the parts in flight, and resume from what storage holds', async ({ page }) => {
  const file = await fileOnDisk('paused-32.zip', 32 * MiB);
  const puts = watchPartPuts(page);
  await signIn(page);
  await throttleUplink(page, 4 * MiB);
  const created = nextCreated(page);
  await pick(page, file.path);
  const upload = await created;
  const item = row(page, 'paused-32.zip');
  await expect.poll(() => percent(page, 'paused-32.zip'), { timeout: 30_000 }).toBeGreaterThan(5);
  await item.getByRole('button', { name: 'Pause paused-32.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'paused');
  await expect(item).toContainText(/Paused at \d+%/);
  const staged = stagingKeyOf(upload.key);
  const [uploadId] = await openMultipartUploads(staged);
  const storedAtPause = await storedParts(staged, uploadId);
  // Nothing is sent while paused.
  const sentAtPause = puts.all().length;
  await page.waitForTimeout(1500);
  expect(puts.all()).toHaveLength(sentAtPause);

  await item.getByRole('button', { name: 'Resume paused-32.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const resent = puts
    .all()
    .slice(sentAtPause)
    .map((p) => p.partNumber);
  expect(resent.filter((n) => storedAtPause.includes(n))).toEqual([]);
  expect(await storedMd5(upload.key)).toBe(file.md5);
  await deleteObject(upload.key);
  await rm(file.path);
});

test('should leave no multipart upload at the gateway when canceled', async ({ page }) => {
  const file = await fileOnDisk('canceled-40.zip', 40 * MiB);
  await signIn(page);
  await throttleUplink(page, 4 * MiB);
  const created = nextCreated(page);
  await pick(page, file.path);
  const upload = await created;
  expect(await openMultipartUploads(stagingKeyOf(upload.key))).toHaveLength(1);
  await expect.poll(() => percent(page, 'canceled-40.zip'), { timeout: 30_000 }).toBeGreaterThan(5);
  const item = row(page, 'canceled-40.zip');
  await item.getByRole('button', { name: 'Cancel canceled-40.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'canceled');
  await expect.poll(() => openMultipartUploads(stagingKeyOf(upload.key))).toEqual([]);
});

test.describe('a part URL that lapses', () => {
  // This API's part URLs lapse after eight seconds.
  test.use({ baseURL: 'http://127.0.0.1:3104' });

  test('should be signed again, and the upload complete', async ({ page }) => {
    const file = await fileOnDisk('lapsed-20.zip', 20 * MiB);
    const signed: number[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/parts')) {
        signed.push(
          ...(request.postDataJSON() as { parts: { partNumber: number }[] }).parts.map((p) => p.partNumber),
        );
      }
    });
    let held = false;
    // The first PUT of part 2 is held past its URL's life; storage then refuses it.
    await page.route(/partNumber=2&/, async (route) => {
      if (!held && route.request().method() === 'PUT') {
        held = true;
        await new Promise((resolve) => setTimeout(resolve, 10_000));
      }
      await route.continue();
    });
    await signIn(page);
    const created = nextCreated(page);
    await pick(page, file.path);
    const upload = await created;
    const item = row(page, 'lapsed-20.zip');
    await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    expect(held).toBe(true);
    expect(signed.filter((n) => n === 2)).toHaveLength(2);
    expect(signed.filter((n) => n !== 2).sort()).toEqual([1, 3]);
    expect(await storedMd5(upload.key)).toBe(file.md5);
  });
});

test('should send 1 GiB in parts, pause and resume it, and resume it after a reload', async ({ page }) => {
  test.setTimeout(300_000);
  const file = await fileOnDisk('dataset-1g.zip', 1024 * MiB);
  const puts = watchPartPuts(page);
  await signIn(page);
  const created = nextCreated(page);
  await pick(page, file.path);
  const upload = await created;
  expect(upload).toMatchObject({ method: 'multipart', partCount: 128 });
  const item = row(page, 'dataset-1g.zip');

  await expect.poll(() => percent(page, 'dataset-1g.zip'), { timeout: 120_000 }).toBeGreaterThanOrEqual(20);
  await item.getByRole('button', { name: 'Pause dataset-1g.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'paused');
  await item.getByRole('button', { name: 'Resume dataset-1g.zip' }).click();
  await expect.poll(() => percent(page, 'dataset-1g.zip'), { timeout: 120_000 }).toBeGreaterThanOrEqual(50);

  await page.reload();
  await pick(page, file.path);
  await expect(item).toHaveAttribute('data-status', 'resumable');
  await expect(item).toContainText(/Resume: ([5-9]\d)% already stored/);
  await item.getByRole('button', { name: 'Resume dataset-1g.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 180_000 });

  // Every part was sent, and again only if it was in flight at the pause or the reload.
  const sent = puts.all().map((p) => p.partNumber);
  expect(new Set(sent).size).toBe(128);
  expect(sent.length).toBeLessThanOrEqual(128 + 8);
  expect(await storedMd5(upload.key)).toBe(file.md5);
  await deleteObject(upload.key);
  await rm(file.path);
});
