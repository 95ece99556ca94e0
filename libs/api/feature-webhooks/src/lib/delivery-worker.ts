import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  DELIVERIES_CHANNEL,
  PgListener,
  WebhookDeliveriesRepository,
  type AttemptRecord,
  type AttemptResult,
  type DueDelivery,
} from '@dropgate/api/data-access-db';
import {
  WebhookSender,
  WebhookTargets,
  signWebhook,
  type SendResult,
} from '@dropgate/api/data-access-webhooks';
import { Coalescer, JobLoop } from '@dropgate/api/util-jobs';
import {
  countWebhookAttempt,
  observeWebhookLag,
  type WebhookAttemptResult,
} from '@dropgate/api/util-metrics';
import { nextAttemptAt } from './retry-schedule';
import { WebhookSecrets } from './webhook-secrets.service';
import { webhooksConfig, type WebhooksSettings } from './webhooks.config';

/** What an attempt came to: what the sender says, or why nothing could be sent. */
type Attempted = SendResult | { outcome: 'failed'; error: string; durationMs: number; unsigned?: true };

/** Longer than an attempt (15 s): an instance killed mid-send frees its deliveries after this. */
const LEASE_MS = 60_000;
const POLL_MS = 5_000;

/**
 * Sends the outbox: every instance runs it. Due deliveries are leased `FOR UPDATE SKIP LOCKED`
 * (a later event for the same upload waits while an earlier one is unfinished), signed, and sent
 * outside any transaction; the attempt and its outcome are written only while the lease is held,
 * together with the other attempts that finished meanwhile.
 * `NOTIFY` wakes it at once; it also polls, since a notification is only a hint.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly loop: JobLoop<DueDelivery>;
  /** Attempts finished while others are being written go together in the next write. */
  private readonly recorder = new Coalescer<AttemptRecord, boolean>(async (records) => {
    const written = await this.deliveries.recordAttempts(this.holder, records);
    return records.map((record) => written.has(record.deliveryId));
  });

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly targets: WebhookTargets,
    private readonly secrets: WebhookSecrets,
    private readonly listener: PgListener,
    @Inject(webhooksConfig.KEY) private readonly settings: WebhooksSettings,
  ) {
    this.loop = new JobLoop<DueDelivery>(
      {
        claim: (limit) =>
          this.deliveries.claimDeliveries(limit, this.holder, new Date(Date.now() + LEASE_MS)),
        handle: (delivery, signal) => this.deliver(delivery, signal),
        // The lease ends on its own and the delivery is tried again then.
        retryLater: async (delivery, error) =>
          this.logger.warn(`delivery ${delivery.id} not recorded (${(error as Error).message})`),
        giveBack: (deliveries) =>
          this.deliveries.releaseDeliveries(
            deliveries.map((d) => d.id),
            this.holder,
          ),
      },
      {
        name: 'Webhooks',
        batch: settings.concurrency * 2,
        concurrency: settings.concurrency,
        pollMs: POLL_MS,
      },
    );
  }

  onApplicationBootstrap(): void {
    this.listener.listen(DELIVERIES_CHANNEL, () => this.loop.wake());
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Sends what is due now, once; how many deliveries it took (for tests and the bench). */
  deliverDue(): Promise<number> {
    return this.loop.runOnce();
  }

  private async deliver(delivery: DueDelivery, signal: AbortSignal): Promise<void> {
    const at = new Date();
    const result = await this.attempt(delivery, signal);
    const decision = this.decide(delivery, at, result);
    countWebhookAttempt(attemptResult(result, decision.succeeded));
    if (delivery.attempts === 0)
      observeWebhookLag((at.getTime() - new Date(delivery.event_created_at).getTime()) / 1000);
    const written = await this.recorder.add({ deliveryId: delivery.id, result: decision });
    if (!written) this.logger.warn(`delivery ${delivery.id}: lease lost; its attempt was not recorded`);
    else if (decision.nextAttemptAt) this.loop.wakeAt(decision.nextAttemptAt);
  }

  private async attempt(delivery: DueDelivery, signal: AbortSignal): Promise<Attempted> {
    const target = this.targets.check(delivery.url);
    if (!target.ok) return { outcome: 'blocked', reason: target.reason, durationMs: 0 };
    const secrets = this.secrets.signingSecrets(delivery);
    if (!secrets) {
      return {
        outcome: 'failed',
        error: 'WEBHOOK_SECRETS_KEY is not set: cannot sign',
        durationMs: 0,
        unsigned: true,
      };
    }
    const headers = signWebhook({
      id: delivery.event_id,
      timestamp: new Date(),
      body: delivery.body,
      secrets,
    });
    return this.sender.send({ url: delivery.url, headers, body: delivery.body, signal });
  }

  /** Success on a 2xx only; a 410 disables the endpoint; anything else is retried on the schedule. */
  private decide(delivery: DueDelivery, at: Date, result: Attempted): AttemptResult {
    const attempt = {
      at,
      duration_ms: Math.round(result.durationMs),
      outcome: result.outcome,
      status_code: result.outcome === 'response' ? result.status : null,
      error: result.outcome === 'blocked' ? result.reason : result.outcome === 'failed' ? result.error : null,
      response_body: result.outcome === 'response' ? result.body : null,
    };
    if (result.outcome === 'response' && result.status >= 200 && result.status < 300) {
      return { attempt, status: 'succeeded', succeeded: true };
    }
    if (result.outcome === 'response' && result.status === 410) {
      return {
        attempt,
        status: 'failed',
        succeeded: false,
        disableEndpoint: 'the endpoint answered 410 Gone',
      };
    }
    const retryAfter = result.outcome === 'response' ? result.retryAfterSeconds : undefined;
    const next = nextAttemptAt(this.settings.retrySchedule, delivery.schedule_step, retryAfter);
    const failingFor = delivery.failing_since ? at.getTime() - new Date(delivery.failing_since).getTime() : 0;
    const disable =
      failingFor > this.settings.disableAfterMs
        ? `every delivery failed for ${Math.round(this.settings.disableAfterMs / 3_600_000)} hours`
        : undefined;
    return next && !disable
      ? { attempt, status: 'pending', nextAttemptAt: next, succeeded: false }
      : { attempt, status: 'failed', succeeded: false, ...(disable && { disableEndpoint: disable }) };
  }
}

/** An attempt's result as the metrics count it. */
function attemptResult(result: Attempted, succeeded: boolean): WebhookAttemptResult {
  if (succeeded) return 'succeeded';
  if (result.outcome === 'response') return 'failed_response';
  if (result.outcome === 'blocked') return 'blocked';
  return 'unsigned' in result ? 'unsigned' : 'failed_network';
}
