import { rm } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { deleteObject, openMultipartUploads, overwritePart, stagingKeyOf, storedMd5 } from './support/bucket';
import {
  chooseUser,
  fileOnDisk,
  nextCreated,
  pick,
  row,
  signIn,
  throttleUplink,
  watchPartPuts,
} from './support/page';

const MiB = 1024 * 1024;

// This API sends files over 8 MiB in parts of 8 MiB.
test.use({ baseURL: 'http://127.0.0.1:3103' });

/** Record ids the page cancels (DELETE /api/uploads/:id). */
function watchCancels(page: Page): string[] {
  const ids: string[] = [];
  page.on('request', (request) => {
    const match = /\/api\/uploads\/([^/?]+)$/.exec(request.url());
    if (request.method() === 'DELETE' && match) ids.push(decodeURIComponent(match[1]));
  });
  return ids;
}

/** The resume points this page's origin keeps in IndexedDB, whoever they belong to. */
function storedResumePoints(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const opening = indexedDB.open('dropgate-uploads');
        opening.onsuccess = () => {
          const db = opening.result;
          const name = db.objectStoreNames[0];
          if (!name) return resolve(0);
          const counting = db.transaction(name).objectStore(name).count();
          counting.onsuccess = () => resolve(counting.result);
          counting.onerror = () => resolve(-1);
        };
        opening.onerror = () => resolve(-1);
      }),
  );
}

/** Starts a large upload on a thin uplink and waits until storage holds some of it. */
async function startLargeUpload(page: Page, name: string, size: number) {
  const file = await fileOnDisk(name, size);
  const puts = watchPartPuts(page);
  await throttleUplink(page, 6 * MiB);
  const created = nextCreated(page);
  await pick(page, file.path);
  const upload = await created;
  await expect.poll(() => puts.stored().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  return { file, upload };
}

test('should send again only a part storage lost before complete, then complete', async ({ page }) => {
  const file = await fileOnDisk('topped-up-24.zip', 24 * MiB);
  const puts = watchPartPuts(page);
  let key = '';
  let damaged = false;
  // Just before the first complete, part 2 loses its bytes at storage.
  await page.route(/\/api\/uploads\/[^/]+\/complete$/, async (route) => {
    if (!damaged) {
      damaged = true;
      const staged = stagingKeyOf(key);
      const [uploadId] = await openMultipartUploads(staged);
      await overwritePart(staged, uploadId, 2, Buffer.from('x'));
    }
    await route.continue();
  });
  await signIn(page);
  const created = nextCreated(page);
  await pick(page, file.path);
  const upload = await created;
  key = upload.key;
  const item = row(page, 'topped-up-24.zip');
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  expect(damaged).toBe(true);
  // Parts 1-3 once each, then part 2 alone: not the whole file again.
  expect(
    puts
      .all()
      .map((p) => p.partNumber)
      .sort(),
  ).toEqual([1, 2, 2, 3]);
  expect(await storedMd5(upload.key)).toBe(file.md5);
  await deleteObject(upload.key);
  await rm(file.path);
});

test('should cancel at the API an upload offered for resuming when the person cancels it', async ({
  page,
}) => {
  await signIn(page);
  const cancels = watchCancels(page);
  const { file, upload } = await startLargeUpload(page, 'offered-48.zip', 48 * MiB);
  await page.reload();
  await pick(page, file.path);
  const item = row(page, 'offered-48.zip');
  await expect(item).toHaveAttribute('data-status', 'resumable');
  await item.getByRole('button', { name: 'Cancel offered-48.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'canceled');
  await expect.poll(() => cancels).toContain(upload.id);
  await expect.poll(() => openMultipartUploads(stagingKeyOf(upload.key))).toEqual([]);
  await rm(file.path);
});

test('should cancel an upload whose create call was in flight when the person canceled', async ({ page }) => {
  const file = await fileOnDisk('early-cancel-16.zip', 16 * MiB);
  // The API's answer to create is held, so that Cancel is pressed before it arrives.
  await page.route(/\/api\/uploads$/, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.fulfill({ response });
  });
  await signIn(page);
  const cancels = watchCancels(page);
  const created = nextCreated(page);
  await pick(page, file.path);
  const item = row(page, 'early-cancel-16.zip');
  await expect(item).toHaveAttribute('data-status', 'signing');
  await item.getByRole('button', { name: 'Cancel early-cancel-16.zip' }).click();
  await expect(item).toHaveAttribute('data-status', 'canceled');
  const upload = await created;
  await expect.poll(() => cancels).toEqual([upload.id]);
  await expect.poll(() => openMultipartUploads(stagingKeyOf(upload.key))).toEqual([]);
  await rm(file.path);
});

test('should forget, and cancel, the person’s unfinished uploads when they sign out', async ({ page }) => {
  await signIn(page, 'alice');
  const { file, upload } = await startLargeUpload(page, 'shared-computer-48.zip', 48 * MiB);
  expect(await storedResumePoints(page)).toBe(1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await storedResumePoints(page)).toBe(0);
  await expect.poll(() => openMultipartUploads(stagingKeyOf(upload.key))).toEqual([]);

  // The next person on this computer sees nothing of it.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await chooseUser(page, 'bob');
  await expect(page.getByTestId('user-name')).toHaveText('Bob Example');
  await expect(page.getByText(/Up to [\d.]+ [KMG]?B per file/)).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.getByTestId('unfinished')).toHaveCount(0);
  await expect(page.getByText('shared-computer-48.zip')).toHaveCount(0);
  await rm(file.path);
});
