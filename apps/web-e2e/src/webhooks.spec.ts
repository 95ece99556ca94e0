import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import type { WebhookEvent } from '@dropgate/shared/api-contract';
import { screenshot, signIn } from './support/page';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A webhook receiver on loopback that keeps every request and answers with the status it is told. */
async function startReceiver() {
  const received: Received[] = [];
  let status = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`receiver answered ${status}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dropgate-${Date.now()}`,
    received,
    answer: (next: number) => (status = next),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The event a request carries, if its signature verifies with `secret` (else it throws). */
function verified(secret: string, request: Received): WebhookEvent<{ endpointId: string }> {
  return new Webhook(secret).verify(request.body, request.headers) as WebhookEvent<{ endpointId: string }>;
}

async function openWebhooks(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(page).toHaveURL(/\/webhooks$/);
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
}

test('should register an endpoint, show its secret once, and deliver, fail and replay a test event', async ({
  page,
}, testInfo) => {
  const receiver = await startReceiver();
  try {
    await signIn(page, 'admin');
    await openWebhooks(page);

    // The API refuses a link-local target, and its reason shows beside the field.
    const url = page.getByLabel('Endpoint URL');
    await url.fill('https://169.254.169.254/latest/meta-data');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await expect(page.locator('#webhook-url-error')).toContainText('169.254.169.254 is not a public address');
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toBeFocused();

    await url.fill(receiver.url);
    await page.getByLabel('Description').fill('Browser test receiver');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    const shown = page.getByTestId('secret');
    await expect(shown).toHaveText(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const secret = (await shown.textContent()) ?? '';
    await expect(page.getByText('Copy it now: you will not see it again.')).toBeVisible();
    await expect(page.getByRole('heading', { name: `Signing secret for ${receiver.url}` })).toBeFocused();
    await expect(page.getByRole('status')).toHaveText(`Endpoint ${receiver.url} registered`);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(shown).toHaveCount(0);

    // Listed with a hint of the secret; after a reload the secret is nowhere on the page.
    const endpoint = page.getByTestId('endpoint-row').filter({ hasText: receiver.url });
    await expect(endpoint).toContainText(`Secret whsec_…${secret.slice(-4)}`);
    await expect(endpoint).toContainText('Browser test receiver');
    await page.reload();
    await expect(endpoint.getByTestId('health')).toHaveText('No deliveries yet');
    expect(await page.content()).not.toContain(secret.slice(6));

    // Test: delivered, and signed with the secret shown.
    await endpoint.getByRole('button', { name: `Test ${receiver.url}` }).click();
    const deliveries = page.getByTestId('delivery-row');
    await expect(deliveries).toHaveCount(1);
    await expect(deliveries.first()).toHaveAttribute('data-status', 'succeeded');
    expect(receiver.received).toHaveLength(1);
    const first = receiver.received[0];
    expect(verified(secret, first).type).toBe('webhook.test');
    await expect(deliveries.first()).toHaveAttribute('data-event-id', first.headers['webhook-id']);
    await expect(endpoint.getByTestId('health')).toHaveText('Healthy');

    // The receiver fails: the attempt shows with its status, and the endpoint with its failure.
    receiver.answer(500);
    await endpoint.getByRole('button', { name: `Test ${receiver.url}` }).click();
    await expect(deliveries).toHaveCount(2);
    const failing = deliveries.first();
    await expect.poll(() => receiver.received.length).toBe(2);
    const failedId = receiver.received[1].headers['webhook-id'];
    expect(failedId).not.toBe(first.headers['webhook-id']);
    await expect(failing).toHaveAttribute('data-event-id', failedId);
    await expect(failing.locator('td[data-label=Attempts]')).toHaveText('1');
    await expect(failing).toContainText('retry at');
    await expect(page.getByRole('status')).toHaveText('webhook.test: attempt 1 failed, to be retried');
    await failing.getByRole('button', { name: /^Attempts of webhook\.test/ }).click();
    const attempts = page.getByTestId('attempt');
    await expect(attempts).toHaveCount(1);
    await expect(attempts.first().locator('.result')).toHaveText('HTTP 500');
    await expect(attempts.first().locator('pre')).toHaveText('receiver answered 500');
    await expect(page.getByTestId('webhook-id')).toHaveText(failedId);
    await expect(endpoint.getByTestId('health')).toHaveText('Failing');
    await expect(endpoint.getByTestId('failures')).toHaveText('1 failure in a row');

    // It recovers; Replay sends the same event again, with the same webhook-id.
    receiver.answer(200);
    await failing.getByRole('button', { name: /^Replay webhook\.test/ }).click();
    await expect(failing).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByRole('status')).toHaveText('webhook.test delivered');
    expect(receiver.received).toHaveLength(3);
    const replayed = receiver.received[2];
    expect(replayed.headers['webhook-id']).toBe(failedId);
    expect(replayed.body).toBe(receiver.received[1].body);
    expect(verified(secret, replayed).type).toBe('webhook.test');
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(1).locator('.result')).toHaveText('HTTP 200');
    await expect(failing.locator('td[data-label=Attempts]')).toHaveText('2');
    await expect(endpoint.getByTestId('health')).toHaveText('Healthy');
    await screenshot(page, testInfo, 'webhooks-1280');

    // On a phone each endpoint and each delivery is a card, and nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(endpoint).toBeVisible();
    expect(await endpoint.evaluate((el) => getComputedStyle(el).display)).toBe('block');
    await endpoint.getByRole('button', { name: `Deliveries to ${receiver.url}` }).click();
    await expect(deliveries).toHaveCount(2);
    expect(await deliveries.first().evaluate((el) => getComputedStyle(el).display)).toBe('block');
    const widths = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.scrollWidth).toBeLessThanOrEqual(widths.viewport);
    // An admin's header has a third link, and Sign out still fits.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(page.getByRole('link', { name: 'Webhooks' })).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport({ ratio: 1 });
    await screenshot(page, testInfo, 'webhooks-390');
  } finally {
    await receiver.close();
  }
});

test('should show no Webhooks link to someone without webhooks:admin, and the page only a refusal', async ({
  page,
}) => {
  const asked: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/webhooks')) asked.push(request.url());
  });
  await signIn(page, 'alice');
  await expect(page.getByRole('link', { name: 'My uploads' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);

  await page.goto('/webhooks');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByTestId('not-allowed')).toContainText('webhooks:admin');
  await expect(page.getByLabel('Endpoint URL')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
  expect(asked).toEqual([]);
});
