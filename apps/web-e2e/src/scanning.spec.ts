import { crc32 } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { stagingKeyOf, storedSize } from './support/bucket';
import { dropFiles, nextCreated, pickFiles, row, screenshot, signIn } from './support/page';

/** The EICAR test file: 68 bytes every scanner reports as malware, and that harm nothing. */
const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

/**
 * A zip whose one entry is marked encrypted (ZipCrypto, stored). Built by hand, as no zip library
 * here encrypts; clamd reads only the flag (`Heuristics.Encrypted.Zip`), so the bytes behind the
 * entry's 12-byte encryption header need not be real ciphertext.
 */
function encryptedZip(): Buffer {
  const name = Buffer.from('secret.txt');
  const text = Buffer.from('hidden words');
  const data = Buffer.concat([Buffer.alloc(12, 7), text]);
  const entry = (header: Buffer, at: number) => {
    header.writeUInt16LE(1, at); // general purpose flag: encrypted
    header.writeUInt32LE(crc32(text), at + 8);
    header.writeUInt32LE(data.length, at + 12);
    header.writeUInt32LE(text.length, at + 16);
    header.writeUInt16LE(name.length, at + 20);
    return header;
  };
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([entry(local, 6), name, data, entry(central, 8), name, end]);
}

/**
 * Holds the page's questions about its uploads' records (GET /api/uploads/:id) until the returned
 * function is called, so that a test sees a row while its verdict is awaited.
 */
async function holdVerdicts(page: Page): Promise<() => void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/uploads\/(?!config$|usage$)[^/]+$/, async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    await released;
    await route.fulfill({ response: await route.fetch() });
  });
  return release;
}

/** The row My uploads shows for the file named `name`. */
async function listed(page: Page, name: string) {
  await page.getByRole('link', { name: 'My uploads' }).click();
  return page.getByTestId('upload-row').filter({ hasText: name });
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('should check a clean file for viruses, then store it under its key', async ({ page }) => {
  const name = `clean-${Date.now()}.txt`;
  const release = await holdVerdicts(page);
  const created = nextCreated(page);
  await dropFiles(page, [{ name, mimeType: 'text/plain', size: 2048 }]);
  const upload = await created;
  const item = row(page, name);
  await expect(item).toHaveAttribute('data-status', 'scanning');
  await expect(item).toContainText('Checking for viruses…');

  release();
  await expect(item).toHaveAttribute('data-status', 'done');
  await expect(item).toContainText('Stored');
  // The staged copy stays until the staging sweep, once the policy can no longer write it.
  expect(await storedSize(upload.key)).toBe(2048);
});

test('should block the EICAR test file, naming what was found, and keep no copy', async ({
  page,
}, testInfo) => {
  const name = `eicar-${Date.now()}.txt`;
  const created = nextCreated(page);
  await dropFiles(page, [{ name, mimeType: 'text/plain', size: EICAR.length, bytes: EICAR }]);
  const upload = await created;
  const item = row(page, name);
  await expect(item).toHaveAttribute('data-status', 'infected');
  await expect(item).toContainText(/Blocked: malware found \(.*EICAR.*\)/);
  await expect(item.getByRole('button', { name: `Download ${name}` })).toHaveCount(0);
  await screenshot(page, testInfo, 'blocked');
  expect(await storedSize(upload.key)).toBeUndefined();
  expect(await storedSize(stagingKeyOf(upload.key))).toBeUndefined();

  const mine = await listed(page, name);
  await expect(mine).toHaveAttribute('data-status', 'infected');
  await expect(mine.locator('.status')).toHaveText('Blocked');
  await expect(mine.getByTestId('status-reason')).toHaveText(/^Malware found: .*EICAR/);
  await expect(mine.getByRole('button')).toHaveCount(0);
});

test('should hold an encrypted archive for review, saying why, with Delete but no Download', async ({
  page,
}) => {
  const name = `locked-${Date.now()}.zip`;
  const zip = encryptedZip();
  await pickFiles(page, [{ name, mimeType: 'application/zip', size: zip.length, bytes: zip }]);
  const item = row(page, name);
  await expect(item).toHaveAttribute('data-status', 'held');
  await expect(item).toContainText('Held for review: encrypted file');

  const mine = await listed(page, name);
  await expect(mine).toHaveAttribute('data-status', 'held');
  await expect(mine.locator('.status')).toHaveText('Held for review');
  await expect(mine.getByTestId('status-reason')).toHaveText('Not scanned: encrypted file');
  await expect(mine.getByRole('button', { name: `Delete ${name}` })).toBeVisible();
  await expect(mine.getByRole('button', { name: `Download ${name}` })).toHaveCount(0);
});
