import { randomBytes } from 'node:crypto';
import type {
  RecoverResult,
  UploadRecord,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  WebhookEndpoint,
} from '@dropgate/shared/api-contract';
import { startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { gatewayEnv } from './support/gateway';
import { call, sendFile, serviceToken, settledRecord } from './support/http';
import {
  deliveryDetail,
  deliveryWhen,
  register,
  sendTest,
  startReceiver,
  verify,
  type Receiver,
  type Received,
} from './support/receiver';

// Upload events reach real receivers on loopback (allowed here), signed by Standard Webhooks and
// checked with its reference verification; failures are retried on a short schedule. The API has
// a database of its own: instances sharing one share its delivery queue.

const DB = 'webhooks_delivery';
/** Four retries, two seconds apart (±20 %): attempts a whole second apart, so timestamps differ. */
const RETRIES = 4;

const typeOf = (r: Received) => r.json?.type;
const uploadOf = (r: Received) => r.json?.data?.['id'];
const timestampOf = (r: Received) => Number(r.headers['webhook-timestamp']);

describe('delivering webhooks', () => {
  let api: RunningApi;
  let cleanup: Array<() => Promise<unknown>> = [];

  /** A receiver for this test only, closed after it. */
  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const started = await startReceiver(...args);
    cleanup.push(() => started.close());
    return started;
  }

  /** An endpoint for this test only (deleted after it, so that later uploads do not reach it). */
  async function endpoint(...args: Parameters<typeof register>) {
    const created = await register(...args);
    cleanup.push(() => call(api.baseUrl, 'DELETE', `/api/webhooks/endpoints/${created.id}`));
    return created;
  }

  async function deliveriesOf(endpointId: string, query = ''): Promise<WebhookDeliveryPage> {
    const page = await call(api.baseUrl, 'GET', `/api/webhooks/endpoints/${endpointId}/deliveries${query}`);
    expect(page.status).toBe(200);
    return page.json<WebhookDeliveryPage>();
  }

  async function availableUpload(fileName: string, size = 3000): Promise<UploadRecord> {
    const file = new Uint8Array(randomBytes(size));
    const { created } = await sendFile(api.baseUrl, { fileName, contentType: 'text/plain', size }, file);
    const record = await settledRecord(api.baseUrl, created.id);
    expect(record.status).toBe('available');
    return record;
  }

  beforeAll(async () => {
    const url = await emptyDatabase(DB);
    api = await startApi({
      DATABASE_URL: url,
      RATE_LIMIT_MAX: '100000',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
      WEBHOOK_RETRY_SCHEDULE: Array.from({ length: RETRIES }, () => '2s').join(','),
      WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
      WEBHOOK_ATTEMPT_TIMEOUT_MS: '5000',
    });
  });
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });
  afterAll(async () => {
    await api?.stop();
    await dropDatabase(DB);
  });

  it('should send each upload event signed so that the reference verification passes on the raw body, describing the upload with no URL or token, under 20 KB', async () => {
    const hook = await receiver();
    const { id: endpointId, secret } = await endpoint(api.baseUrl, hook.url, [
      'upload.available',
      'upload.deleted',
    ]);
    const before = Math.floor(Date.now() / 1000);
    // A long name, to see the body stays small with the largest fields filled.
    const record = await availableUpload(`${'é'.repeat(200)} report.txt`);
    await hook.waitFor('upload.available', (all) => all.some((r) => uploadOf(r) === record.id));
    const [request] = hook.received.filter((r) => uploadOf(r) === record.id);

    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers['webhook-id']).toEqual(expect.any(String));
    expect(verify(secret, request)).toEqual(JSON.parse(request.raw.toString('utf8')));
    // The check can fail: another secret, or one byte changed, is refused.
    expect(() => verify(`whsec_${randomBytes(32).toString('base64')}`, request)).toThrow(
      'No matching signature found',
    );
    const tampered = Buffer.from(request.raw);
    tampered[tampered.length - 2] ^= 1;
    expect(() => verify(secret, { ...request, raw: tampered })).toThrow('No matching signature found');
    // Signed at the attempt, not before the upload existed.
    expect(timestampOf(request)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(request)).toBeLessThanOrEqual(Math.ceil(request.at / 1000));

    const { etag, ...data } = request.json?.data ?? {};
    expect(request.json).toEqual({
      type: 'upload.available',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: expect.any(Object),
    });
    expect(data).toEqual({
      id: record.id,
      status: 'available',
      key: record.key,
      fileName: record.fileName,
      contentType: 'text/plain',
      size: 3000,
      owner: record.owner,
      createdAt: record.createdAt,
      completedAt: record.completedAt,
    });
    if (etag !== undefined) expect(etag).toEqual(expect.any(String));
    const text = request.raw.toString('utf8');
    expect(request.raw.byteLength).toBeLessThan(20 * 1024);
    // No presigned URL (the only URL is the owner's issuer) and no token.
    expect(text.replaceAll(JSON.stringify(record.owner.issuer), '""')).not.toMatch(/https?:\/\//);
    expect(text).not.toContain(new URL(gatewayEnv.S3_ENDPOINT).host);
    expect(text).not.toMatch(/X-Amz-|Signature=|Credential=|eyJ[\w-]+\.eyJ/);
    expect(text).not.toContain(serviceToken());

    // The log holds the bytes that were sent.
    const [listed] = (await deliveriesOf(endpointId)).items.filter((d) => d.uploadId === record.id);
    expect(listed).toMatchObject({ eventType: 'upload.available', eventId: request.headers['webhook-id'] });
    const detail = await deliveryWhen(api.baseUrl, listed.id, 'succeeded', (d) => d.status === 'succeeded');
    expect(detail.body).toBe(text);
    expect(detail.attemptLog).toEqual([
      expect.objectContaining({ outcome: 'response', statusCode: 200, responseBody: 'ok' }),
    ]);

    // Deleting it tells the receiver too, once.
    expect((await call(api.baseUrl, 'DELETE', `/api/uploads/${record.id}`)).status).toBe(204);
    await hook.waitFor('upload.deleted', (all) => all.some((r) => typeOf(r) === 'upload.deleted'));
    const deleted = hook.received.filter((r) => typeOf(r) === 'upload.deleted');
    expect(deleted).toHaveLength(1);
    expect(verify(secret, deleted[0])).toMatchObject({
      type: 'upload.deleted',
      data: { id: record.id, status: 'deleted', deletedAt: expect.any(String) },
    });
    expect(deleted[0].headers['webhook-id']).not.toBe(request.headers['webhook-id']);
  }, 60_000);

  it('should retry 500, 500, 200 with the same webhook-id and body and a fresh timestamp: exactly three attempts, then nothing', async () => {
    let answered = 0;
    const hook = await receiver(() =>
      ++answered < 3 ? { status: 500, body: 'down for now' } : { status: 200 },
    );
    const { id, secret } = await endpoint(api.baseUrl, hook.url, ['webhook.test']);
    const { deliveryId, eventId } = await sendTest(api.baseUrl, id);

    await hook.waitFor('three attempts', (all) => all.length >= 3);
    const detail = await deliveryWhen(api.baseUrl, deliveryId, 'succeeded', (d) => d.status === 'succeeded');
    const attempts = hook.withId(eventId);
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) {
      expect(attempt.raw.equals(attempts[0].raw)).toBe(true);
      expect(verify(secret, attempt)).toMatchObject({ type: 'webhook.test' });
    }
    // Each attempt is signed when it is made (the waits are at least 1.6 s).
    expect(timestampOf(attempts[1])).toBeGreaterThan(timestampOf(attempts[0]));
    expect(timestampOf(attempts[2])).toBeGreaterThan(timestampOf(attempts[1]));
    expect(attempts[1].headers['webhook-signature']).not.toBe(attempts[0].headers['webhook-signature']);
    expect(detail).toMatchObject({ status: 'succeeded', attempts: 3, eventId });
    expect(detail.nextAttemptAt).toBeUndefined();
    expect(detail.attemptLog.map((a) => [a.outcome, a.statusCode, a.responseBody])).toEqual([
      ['response', 500, 'down for now'],
      ['response', 500, 'down for now'],
      ['response', 200, ''],
    ]);
    // Nothing more comes: quiet for longer than a retry step (2 s + 20 %) and the worker's poll.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(hook.received).toHaveLength(3);
    expect((await deliveryDetail(api.baseUrl, deliveryId)).attempts).toBe(3);
    const endpointNow = (
      await call(api.baseUrl, 'GET', `/api/webhooks/endpoints/${id}`)
    ).json<WebhookEndpoint>();
    expect(endpointNow.health).toEqual({ lastSuccessAt: expect.any(String), failuresInRow: 0 });
  }, 60_000);

  it(`should stop after the schedule: a target that always fails gets 1 + ${RETRIES} attempts and the delivery fails`, async () => {
    const hook = await receiver(() => ({ status: 503 }));
    const { id } = await endpoint(api.baseUrl, hook.url, ['webhook.test']);
    const { deliveryId, eventId } = await sendTest(api.baseUrl, id);
    const detail = await deliveryWhen(
      api.baseUrl,
      deliveryId,
      'failed',
      (d) => d.status === 'failed',
      30_000,
    );
    expect(detail.attempts).toBe(1 + RETRIES);
    expect(detail.attemptLog).toHaveLength(1 + RETRIES);
    expect(hook.withId(eventId)).toHaveLength(1 + RETRIES);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(hook.received).toHaveLength(1 + RETRIES);
    const endpointNow = (
      await call(api.baseUrl, 'GET', `/api/webhooks/endpoints/${id}`)
    ).json<WebhookEndpoint>();
    expect(endpointNow).toMatchObject({
      enabled: true,
      health: { failingSince: expect.any(String), failuresInRow: 1 + RETRIES },
    });
  }, 60_000);

  it('should make a captured request fail the reference verification when replayed 6 minutes later', async () => {
    const hook = await receiver();
    const { id, secret } = await endpoint(api.baseUrl, hook.url, ['webhook.test']);
    const { eventId } = await sendTest(api.baseUrl, id);
    await hook.waitFor('the test event', () => hook.withId(eventId).length > 0);
    const [captured] = hook.withId(eventId);
    expect(verify(secret, captured)).toMatchObject({ type: 'webhook.test' });

    const signedAt = timestampOf(captured) * 1000;
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(signedAt + 4 * 60_000);
      expect(verify(secret, captured)).toMatchObject({ type: 'webhook.test' });
      clock.mockReturnValue(signedAt + 6 * 60_000);
      expect(() => verify(secret, captured)).toThrow('Message timestamp too old');
    } finally {
      clock.mockRestore();
    }
  });

  it('should deliver upload.available before upload.deleted, each once, when the upload is deleted while available is being retried', async () => {
    let failAvailable = true;
    const hook = await receiver((request) =>
      typeOf(request) === 'upload.available' && failAvailable ? { status: 500 } : { status: 200 },
    );
    const { id: endpointId, secret } = await endpoint(api.baseUrl, hook.url, [
      'upload.available',
      'upload.deleted',
    ]);
    const record = await availableUpload('deleted-while-retrying.txt');
    const available = () => hook.received.filter((r) => typeOf(r) === 'upload.available');
    await hook.waitFor('a first upload.available', () => available().length >= 1);
    expect((await call(api.baseUrl, 'DELETE', `/api/uploads/${record.id}`)).status).toBe(204);
    const afterDelete = available().length;
    // Retried while the deleted event waits behind it.
    await hook.waitFor(
      'a retry of upload.available after the delete',
      () => available().length > afterDelete,
    );
    expect(hook.received.filter((r) => typeOf(r) === 'upload.deleted')).toHaveLength(0);
    failAvailable = false;

    await hook.waitFor('upload.deleted', (all) => all.some((r) => typeOf(r) === 'upload.deleted'));
    const items = (await deliveriesOf(endpointId)).items.filter((d) => d.uploadId === record.id);
    expect(items.map((d) => d.eventType).sort()).toEqual(['upload.available', 'upload.deleted']);
    for (const item of items) {
      await deliveryWhen(api.baseUrl, item.id, 'succeeded', (d) => d.status === 'succeeded');
    }
    const forUpload = hook.received.filter((r) => uploadOf(r) === record.id);
    const types = forUpload.map(typeOf);
    const lastAvailable = types.lastIndexOf('upload.available');
    expect(types.indexOf('upload.deleted')).toBe(lastAvailable + 1);
    expect(types.slice(lastAvailable + 1)).toEqual(['upload.deleted']);
    expect(forUpload.filter((r) => r.answered === 200).map(typeOf)).toEqual([
      'upload.available',
      'upload.deleted',
    ]);
    // Every attempt of available carried the same event.
    expect(new Set(available().map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const request of forUpload) expect(verify(secret, request)).toBeTruthy();
  }, 60_000);

  it('should disable an endpoint that answers 410, skip its later events, and send them again (oldest first, same webhook-ids) on recover', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    let gone = true;
    const hook = await receiver(() => (gone ? { status: 410, body: 'gone' } : { status: 204 }));
    const { id, secret } = await endpoint(api.baseUrl, hook.url, ['upload.available', 'webhook.test']);
    const test = await sendTest(api.baseUrl, id);
    const failed = await deliveryWhen(api.baseUrl, test.deliveryId, 'failed', (d) => d.status === 'failed');
    expect(failed.attemptLog).toEqual([expect.objectContaining({ statusCode: 410, responseBody: 'gone' })]);
    const disabled = (
      await call(api.baseUrl, 'GET', `/api/webhooks/endpoints/${id}`)
    ).json<WebhookEndpoint>();
    expect(disabled).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });

    // While disabled, an upload's event is written as skipped and not sent.
    const record = await availableUpload('while-disabled.txt');
    let skipped: WebhookDeliveryPage['items'] = [];
    const deadline = Date.now() + 10_000;
    while (skipped.length === 0 && Date.now() < deadline) {
      skipped = (await deliveriesOf(id, '?status=skipped')).items;
      if (skipped.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(skipped).toEqual([
      expect.objectContaining({ uploadId: record.id, eventType: 'upload.available', attempts: 0 }),
    ]);
    expect(hook.received).toHaveLength(1);

    gone = false;
    const enabled = await call(api.baseUrl, 'PATCH', `/api/webhooks/endpoints/${id}`, { enabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.json<WebhookEndpoint>().enabled).toBe(true);
    expect(enabled.json<WebhookEndpoint>().disabledReason).toBeUndefined();
    const recovered = await call(api.baseUrl, 'POST', `/api/webhooks/endpoints/${id}/recover`, { since });
    expect(recovered.status).toBe(202);
    expect(recovered.json<RecoverResult>()).toEqual({ queued: 2 });

    const done = await Promise.all(
      [test.deliveryId, skipped[0].id].map((deliveryId) =>
        deliveryWhen(api.baseUrl, deliveryId, 'succeeded', (d) => d.status === 'succeeded'),
      ),
    );
    expect(hook.withId(test.eventId)).toHaveLength(2);
    expect(hook.withId(test.eventId)[1].raw.equals(hook.withId(test.eventId)[0].raw)).toBe(true);
    expect(hook.withId(skipped[0].eventId)).toHaveLength(1);
    for (const request of hook.received.slice(1)) expect(verify(secret, request)).toBeTruthy();
    // Oldest first: the test event (failed earlier) was started before the skipped upload event.
    const startedAt = (d: WebhookDeliveryDetail) => Date.parse(d.attemptLog[d.attemptLog.length - 1].at);
    expect(startedAt(done[0])).toBeLessThanOrEqual(startedAt(done[1]));
    // Nothing left to recover.
    const again = await call(api.baseUrl, 'POST', `/api/webhooks/endpoints/${id}/recover`, { since });
    expect(again.json<RecoverResult>()).toEqual({ queued: 0 });
  }, 60_000);

  it('should send webhook.test to the endpoint, and send a delivery again on retry with the same webhook-id and body', async () => {
    const hook = await receiver();
    const { id, secret } = await endpoint(api.baseUrl, hook.url, ['upload.deleted']);
    const { deliveryId, eventId } = await sendTest(api.baseUrl, id);
    await hook.waitFor('the test event', () => hook.withId(eventId).length === 1);
    const [first] = hook.withId(eventId);
    expect(verify(secret, first)).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { endpointId: id },
    });
    await deliveryWhen(api.baseUrl, deliveryId, 'succeeded', (d) => d.status === 'succeeded');

    const retried = await call(api.baseUrl, 'POST', `/api/webhooks/deliveries/${deliveryId}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.json<WebhookDeliveryDetail>()).toMatchObject({ id: deliveryId, eventId });
    await hook.waitFor('the replay', () => hook.withId(eventId).length === 2);
    const [, replay] = hook.withId(eventId);
    expect(replay.raw.equals(first.raw)).toBe(true);
    expect(timestampOf(replay)).toBeGreaterThanOrEqual(timestampOf(first));
    expect(verify(secret, replay)).toMatchObject({ type: 'webhook.test' });
    const detail = await deliveryWhen(
      api.baseUrl,
      deliveryId,
      'succeeded twice',
      (d) => d.status === 'succeeded' && d.attempts === 2,
    );
    expect(detail.attemptLog).toHaveLength(2);

    const missing = await call(
      api.baseUrl,
      'POST',
      '/api/webhooks/deliveries/00000000-0000-4000-8000-000000000000/retry',
    );
    expect([missing.status, missing.json().errors[0].code]).toEqual([404, 'webhook.delivery_not_found']);
  });
});
