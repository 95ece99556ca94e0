import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { storedSize } from './support/bucket';
import { pickFiles, row, screenshot, signIn } from './support/page';

test('should list an upload in My uploads, download the same bytes, and delete it', async ({
  page,
}, testInfo) => {
  await signIn(page, 'bob');
  const name = `mine-${Date.now()}.txt`;
  await pickFiles(page, [{ name, mimeType: 'text/plain', size: 4321 }]);
  await expect(row(page, name)).toHaveAttribute('data-status', 'done');
  const key = (await row(page, name).locator('code.key').textContent()) ?? '';
  expect(await storedSize(key)).toBe(4321);

  await page.getByRole('link', { name: 'My uploads' }).click();
  await expect(page).toHaveURL(/\/uploads$/);
  const listed = page.getByTestId('upload-row').filter({ hasText: name });
  await expect(listed).toHaveAttribute('data-status', 'available');
  await expect(listed).toContainText('Stored');
  await expect(listed).toContainText('4.2 KB');
  await screenshot(page, testInfo, 'my-uploads');

  const downloading = page.waitForEvent('download');
  await listed.getByRole('button', { name: `Download ${name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  const bytes = await readFile((await download.path()) ?? '');
  expect(bytes.equals(Buffer.alloc(4321, 0x61))).toBe(true);

  await listed.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(listed).toContainText(`Delete ${name}?`);
  await listed.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(listed).toHaveAttribute('data-status', 'deleted');
  await expect(page.getByRole('status')).toHaveText(`${name} deleted`);
  expect(await storedSize(key)).toBeUndefined();

  // After a reload the record is still there, deleted: the row stays for audit.
  await page.reload();
  await expect(page.getByTestId('upload-row').filter({ hasText: name })).toHaveAttribute(
    'data-status',
    'deleted',
  );
});

test('should be usable from the keyboard: Download and Delete reachable, the confirmation focused', async ({
  page,
}) => {
  await signIn(page, 'alice');
  const name = `keys-${Date.now()}.txt`;
  await pickFiles(page, [{ name, mimeType: 'text/plain', size: 10 }]);
  await expect(row(page, name)).toHaveAttribute('data-status', 'done');
  await page.getByRole('link', { name: 'My uploads' }).click();
  const listed = page.getByTestId('upload-row').filter({ hasText: name });
  await expect(listed).toHaveAttribute('data-status', 'available');

  const remove = listed.getByRole('button', { name: `Delete ${name}` });
  for (let i = 0; i < 30 && !(await remove.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(remove).toBeFocused();
  await page.keyboard.press('Enter');
  const confirm = listed.getByRole('button', { name: 'Delete', exact: true });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(listed).toHaveAttribute('data-status', 'deleted');
  await expect(page.getByRole('status')).toHaveText(`${name} deleted`);
});
