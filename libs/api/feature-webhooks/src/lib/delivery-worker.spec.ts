import { Logger } from '@nestjs/common';
import type {
  AttemptRecord,
  AttemptResult,
  DueDelivery,
  PgListener,
  WebhookDeliveriesRepository,
} from '@dropgate/api/data-access-db';
import type { SendResult, WebhookSender, WebhookTargets } from '@dropgate/api/data-access-webhooks';
import { metricsRegistry } from '@dropgate/api/util-metrics';
import { DeliveryWorker } from './delivery-worker';
import type { WebhookSecrets } from './webhook-secrets.service';
import type { WebhooksSettings } from './webhooks.config';

const due = (overrides: Partial<DueDelivery> = {}): DueDelivery =>
  ({
    id: 'd1',
    event_id: 'msg_1',
    endpoint_id: 'e1',
    schedule_step: 0,
    body: '{"type":"upload.available"}',
    url: 'https://hooks.example.com/dropgate',
    secret_sealed: 'sealed',
    previous_secret_sealed: null,
    previous_secret_expires_at: null,
    failing_since: null,
    ...overrides,
  }) as DueDelivery;

const SCHEDULE = [5_000, 300_000];

/** One series' value as the metrics port shows it (0 when absent). */
async function metric(series: string): Promise<number> {
  const text = await metricsRegistry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? 0);
}
const attemptsCounted = (result: string) => metric(`dropgate_webhook_attempts_total{result="${result}"}`);
const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

function setUp(result: SendResult, delivery = due(), { secrets = [SECRET], blocked = false } = {}) {
  const recorded: AttemptResult[] = [];
  const repository = {
    claimDeliveries: jest.fn(async () => [delivery]),
    recordAttempts: jest.fn(async (_holder: string, records: AttemptRecord[]) => {
      recorded.push(...records.map((r) => r.result));
      return new Set(records.map((r) => r.deliveryId));
    }),
  } as unknown as WebhookDeliveriesRepository;
  const sender = { send: jest.fn(async () => result) } as unknown as WebhookSender;
  const targets = {
    check: (url: string) =>
      blocked ? { ok: false, reason: 'a private address' } : { ok: true, url: new URL(url) },
  } as unknown as WebhookTargets;
  const keys = { signingSecrets: () => (secrets.length ? secrets : undefined) } as unknown as WebhookSecrets;
  const settings: WebhooksSettings = {
    retrySchedule: SCHEDULE,
    secretGraceMs: 0,
    disableAfterMs: 5 * 86_400_000,
    concurrency: 1,
  };
  const sut = new DeliveryWorker(repository, sender, targets, keys, {} as PgListener, settings);
  return { sut, recorded, sender };
}

const response = (status: number, extra: Partial<SendResult> = {}): SendResult =>
  ({ outcome: 'response', status, durationMs: 12, body: 'ok', ...extra }) as SendResult;

describe('DeliveryWorker', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('should sign with the stored body and the event id, and count a 2xx as success', async () => {
    const { sut, recorded, sender } = setUp(response(204));
    await sut.deliverDue();
    const [[request]] = (sender.send as jest.Mock).mock.calls;
    expect(request.body).toBe('{"type":"upload.available"}');
    expect(request.headers).toMatchObject({
      'webhook-id': 'msg_1',
      'webhook-signature': expect.stringMatching(/^v1,/),
    });
    expect(recorded[0]).toMatchObject({
      status: 'succeeded',
      succeeded: true,
      attempt: { status_code: 204 },
    });
  });

  it('should retry a 500 at the schedule’s next step, with jitter', async () => {
    const before = Date.now();
    const { sut, recorded } = setUp(response(500));
    await sut.deliverDue();
    expect(recorded[0].status).toBe('pending');
    const wait = (recorded[0].nextAttemptAt?.getTime() ?? 0) - before;
    expect(wait).toBeGreaterThanOrEqual(4_000);
    expect(wait).toBeLessThanOrEqual(6_100);
  });

  it('should count a 3xx as a failure', async () => {
    const { sut, recorded } = setUp(response(302));
    await sut.deliverDue();
    expect(recorded[0]).toMatchObject({ status: 'pending', succeeded: false });
  });

  it('should fail for good once the schedule is spent', async () => {
    const { sut, recorded } = setUp(response(500), due({ schedule_step: SCHEDULE.length }));
    await sut.deliverDue();
    expect(recorded[0]).toMatchObject({ status: 'failed' });
    expect(recorded[0].nextAttemptAt).toBeUndefined();
  });

  it('should disable the endpoint on a 410', async () => {
    const { sut, recorded } = setUp(response(410));
    await sut.deliverDue();
    expect(recorded[0]).toMatchObject({ status: 'failed', disableEndpoint: expect.stringContaining('410') });
  });

  it('should disable an endpoint whose deliveries have all failed for longer than the limit', async () => {
    const failingSince = new Date(Date.now() - 6 * 86_400_000);
    const { sut, recorded } = setUp(response(503), due({ failing_since: failingSince }));
    await sut.deliverDue();
    expect(recorded[0]).toMatchObject({
      status: 'failed',
      disableEndpoint: expect.stringContaining('failed'),
    });
  });

  it('should honour Retry-After, but never past the next step', async () => {
    const before = Date.now();
    const { sut, recorded } = setUp(response(429, { retryAfterSeconds: 3_600 }));
    await sut.deliverDue();
    expect((recorded[0].nextAttemptAt?.getTime() ?? 0) - before).toBeLessThanOrEqual(5_100);
  });

  it('should log a blocked target as an attempt, sending nothing', async () => {
    const { sut, recorded, sender } = setUp(response(200), due(), { blocked: true });
    await sut.deliverDue();
    expect(sender.send).not.toHaveBeenCalled();
    expect(recorded[0]).toMatchObject({
      status: 'pending',
      attempt: { outcome: 'blocked', error: 'a private address' },
    });
  });

  it('should send nothing, and say why, when no key can open the secret', async () => {
    const { sut, recorded, sender } = setUp(response(200), due(), { secrets: [] });
    await sut.deliverDue();
    expect(sender.send).not.toHaveBeenCalled();
    expect(recorded[0].attempt).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('WEBHOOK_SECRETS_KEY'),
    });
  });

  it.each([
    ['succeeded', response(204), {}],
    ['failed_response', response(500), {}],
    ['failed_network', { outcome: 'failed', error: 'timeout', durationMs: 15_000 } as SendResult, {}],
    ['blocked', response(200), { blocked: true }],
    ['unsigned', response(200), { secrets: [] }],
  ])('should count an attempt as %s', async (result, sent, options) => {
    const before = await attemptsCounted(result);
    const { sut } = setUp(sent, due(), options);
    await sut.deliverDue();
    expect(await attemptsCounted(result)).toBe(before + 1);
  });

  it("should time a first attempt from its event's creation, and not a retry", async () => {
    const created = new Date(Date.now() - 30_000);
    const before = {
      count: await metric('dropgate_webhook_delivery_lag_seconds_count'),
      sum: await metric('dropgate_webhook_delivery_lag_seconds_sum'),
    };
    await setUp(response(204), due({ attempts: 0, event_created_at: created })).sut.deliverDue();
    await setUp(response(204), due({ attempts: 3, event_created_at: created })).sut.deliverDue();
    expect(await metric('dropgate_webhook_delivery_lag_seconds_count')).toBe(before.count + 1);
    const lag = (await metric('dropgate_webhook_delivery_lag_seconds_sum')) - before.sum;
    expect(lag).toBeGreaterThanOrEqual(30);
    expect(lag).toBeLessThan(35);
  });
});
