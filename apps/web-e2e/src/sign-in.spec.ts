import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Request } from '@playwright/test';
import { storedSize } from './support/bucket';
import { pickFiles, row, rows, screenshot, signIn } from './support/page';
import { APIS, IDPS, ROOT, issuerOf, readState } from './support/servers';

const storageOrigin = new URL(readState().gatewayEnv['S3_ENDPOINT']).origin;

test('should show a signed-out visitor the sign-in screen and call no upload route', async ({
  page,
}, testInfo) => {
  const apiCalls: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/uploads')) apiCalls.push(request.url());
  });
  const scripts: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.js')) scripts.push(response.text());
  });
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in to upload files' })).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveCount(0);
  expect(apiCalls).toEqual([]);
  // The OIDC client (one of its setting names stands for its code) loads only to sign in.
  const loaded = await Promise.all(scripts);
  expect(loaded.length).toBeGreaterThan(0);
  expect(loaded.filter((script) => script.includes('silentRenewUrl'))).toEqual([]);
  const built = join(ROOT, 'dist/apps/web/browser');
  const chunks = readdirSync(built).filter((name) => name.endsWith('.js'));
  expect(chunks.some((name) => readFileSync(join(built, name), 'utf8').includes('silentRenewUrl'))).toBe(
    true,
  );
  await screenshot(page, testInfo, 'sign-in');
});

test('should sign in through the provider, upload three files, and never send the token to storage', async ({
  page,
}, testInfo) => {
  // Every request to the storage origin passes through here, and none may carry a bearer token.
  const toStorage: Request[] = [];
  await page.route(`${storageOrigin}/**`, (route) => {
    toStorage.push(route.request());
    return route.continue();
  });
  const bearerToApi: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/uploads') && request.headers()['authorization']?.startsWith('Bearer '))
      bearerToApi.push(request.url());
  });

  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuerOf(APIS.main.idp)}/interaction/`));
  await page.getByLabel('Bob Example').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-name')).toHaveText('Bob Example');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  const files = [
    { name: 'signed-in report.pdf', mimeType: 'application/pdf', size: 200_000 },
    { name: 'signed-in photo.png', mimeType: 'image/png', size: 50_000, image: true },
    { name: 'signed-in notes.txt', mimeType: 'text/plain', size: 1_000 },
  ];
  await pickFiles(page, files);
  for (const file of files) await expect(row(page, file.name)).toHaveAttribute('data-status', 'done');
  await screenshot(page, testInfo, 'signed-in-done');

  const keys = await Promise.all(files.map((file) => row(page, file.name).locator('code.key').textContent()));
  // One principal, one segment: all three keys share it.
  expect(new Set(keys.map((key) => key?.split('/')[1])).size).toBe(1);
  for (const [i, file] of files.entries()) expect(await storedSize(keys[i] ?? '')).toBe(file.size);

  expect(toStorage.filter((r) => r.method() === 'POST')).toHaveLength(3);
  expect(toStorage.filter((r) => 'authorization' in r.headers())).toEqual([]);
  // The API, on the other hand, got the token with each call.
  expect(bearerToApi.filter((url) => url.endsWith('/api/uploads'))).toHaveLength(3);
});

test('should sign out at the provider and come back signed out', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The provider's end-session page asks; confirming comes back to the app.
  await expect(page).toHaveURL(new RegExp(`^${issuerOf(APIS.main.idp)}/session/end`));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('user-name')).toHaveCount(0);

  // The provider's session is gone too: signing in asks who you are again.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/interaction\//);
});

test.describe('a session that ends in the middle of a queue', () => {
  test.use({ baseURL: `http://127.0.0.1:${APIS.shortSession.port}` });

  test('should finish what is sending, pause the rest, and go on after signing in again', async ({
    page,
  }, testInfo) => {
    test.setTimeout(90_000);
    const issuer = issuerOf(APIS.shortSession.idp);
    // Every file whose upload the page creates: one by one, or in a batch.
    const created: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'POST') return;
      if (request.url().endsWith('/api/uploads')) created.push(request.postDataJSON().fileName);
      if (request.url().endsWith('/api/uploads/batch'))
        created.push(...request.postDataJSON().files.map((file: { fileName: string }) => file.fileName));
    });
    await signIn(page, 'alice');

    // From now on the provider refuses to renew: the refresh token has been revoked.
    let refuseRenewal = true;
    await page.route(`${issuer}/token`, (route) => {
      if (refuseRenewal && route.request().postData()?.includes('grant_type=refresh_token')) {
        return route.fulfill({
          status: 400,
          contentType: 'application/json',
          headers: { 'access-control-allow-origin': `http://127.0.0.1:${APIS.shortSession.port}` },
          body: JSON.stringify({ error: 'invalid_grant', error_description: 'grant request is invalid' }),
        });
      }
      return route.continue();
    });
    // Storage holds the first files until the session has ended. (Playwright sends a request held
    // this long itself: a browser request continued after many seconds can fail on its own.)
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(`${storageOrigin}/**`, async (route) => {
      await released;
      await route.fulfill({ response: await route.fetch() });
    });

    // Four send at once (the queue's default); two wait. More files than can start at once: all
    // six are created in one batch.
    const names = ['one.txt', 'two.txt', 'three.txt', 'four.txt', 'five.txt', 'six.txt'];
    await pickFiles(
      page,
      names.map((name) => ({ name, mimeType: 'text/plain', size: 3_000 })),
    );
    await expect(page.locator('[dg-upload-item][data-status="uploading"]')).toHaveCount(4);

    const banner = page.getByRole('alert').filter({ hasText: 'Your session ended' });
    await expect(banner).toBeVisible({ timeout: 40_000 });
    await expect(banner).toContainText('2 files will continue after you sign in again');
    await expect(page.getByTestId('user-name')).toHaveText('Alice Example');
    await screenshot(page, testInfo, 'session-ended');

    // Storage takes the four files; checking them needs a token, so they wait, stored.
    release();
    for (const name of names.slice(0, 4))
      await expect(row(page, name)).toHaveAttribute('data-status', 'verifying');
    await page.waitForTimeout(1_000);
    for (const name of names.slice(4)) await expect(row(page, name)).toHaveAttribute('data-status', 'queued');
    expect(created).toEqual(names);

    // The provider's own session is over too, so the pop-up asks who you are.
    refuseRenewal = false;
    await page.context().clearCookies();
    const popupOpened = page.waitForEvent('popup');
    await banner.getByRole('button', { name: 'Sign in again' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Alice Example').check();
    await popup.getByRole('button', { name: 'Sign in' }).click();

    await expect(banner).toBeHidden();
    for (const name of names) await expect(row(page, name)).toHaveAttribute('data-status', 'done');
    await expect(rows(page)).toHaveCount(6);
    // The two that waited went with the uploads made for them in the batch.
    expect(created).toEqual(names);
    await expect(page.getByTestId('user-name')).toHaveText('Alice Example');
  });
});

test('should let Swagger UI call an upload route with a pasted token', async ({ page }) => {
  const token = execFileSync(
    process.execPath,
    ['tools/local-idp/token.mjs', '--dir', IDPS.main.dir, '--port', String(IDPS.main.port)],
    { cwd: ROOT, encoding: 'utf8' },
  ).trim();
  await page.goto('/api/docs');
  await page.getByRole('button', { name: 'Authorize' }).first().click();
  await page.locator('.modal-ux input[type=text]').fill(token);
  await page.getByRole('button', { name: 'Apply credentials' }).click();
  await page.locator('.modal-ux').getByRole('button', { name: 'Close' }).click();

  const operation = page.locator('#operations-uploads-UploadsController_getConfig');
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  const response = page.waitForResponse((r) => r.url().endsWith('/api/uploads/config'));
  await operation.getByRole('button', { name: 'Execute' }).click();
  expect((await response).status()).toBe(200);
  expect((await response).request().headers()['authorization']).toBe(`Bearer ${token}`);
  await expect(operation.getByText('x-required-scopes')).toBeVisible();
});
