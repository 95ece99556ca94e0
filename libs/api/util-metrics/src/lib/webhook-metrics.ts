import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from './registry';

/**
 * What one delivery attempt came to: a 2xx (`succeeded`), any other status (`failed_response`),
 * no response at all: connection, TLS, timeout (`failed_network`), a target the SSRF rules
 * refuse (`blocked`), or nothing sent because no signing secret is configured (`unsigned`).
 */
export const WEBHOOK_ATTEMPT_RESULTS = [
  'succeeded',
  'failed_response',
  'failed_network',
  'blocked',
  'unsigned',
] as const;
export type WebhookAttemptResult = (typeof WEBHOOK_ATTEMPT_RESULTS)[number];

const attempts = new Counter({
  name: 'dropgate_webhook_attempts_total',
  help: 'Webhook delivery attempts, by result.',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

const lag = new Histogram({
  name: 'dropgate_webhook_delivery_lag_seconds',
  help: "Time from an event's creation to the first attempt at delivering it.",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [metricsRegistry],
});

for (const result of WEBHOOK_ATTEMPT_RESULTS) attempts.inc({ result }, 0);

/** Counts one delivery attempt by its result. */
export function countWebhookAttempt(result: WebhookAttemptResult): void {
  attempts.inc({ result });
}

/**
 * Records how long after its event a delivery was first tried. Only first attempts: a retry's
 * delay is the retry schedule's, and would hide a slow outbox behind a failing receiver.
 */
export function observeWebhookLag(seconds: number): void {
  lag.observe(Math.max(0, seconds));
}
