import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** The three Standard Webhooks headers of one delivery. */
export interface WebhookSignatureHeaders extends Record<string, string> {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface WebhookToSign {
  /** The message id; receivers use it to drop duplicates, so retries keep it. */
  id: string;
  timestamp: Date;
  body: string;
  /** Every secret the endpoint currently accepts: during a rotation, the new one and the old. */
  secrets: readonly string[];
}

/** A new endpoint secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Enough of a secret to tell two apart in a list, e.g. `whsec_…k3Q=`, never enough to use it. */
export function secretHint(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

/**
 * Signs a delivery as Standard Webhooks does (HMAC-SHA256 over `id.timestamp.body`), with one
 * `v1,<base64>` signature per secret so that receivers keep working through a rotation.
 */
export function signWebhook({ id, timestamp, body, secrets }: WebhookToSign): WebhookSignatureHeaders {
  if (secrets.length === 0) throw new RangeError('signWebhook needs at least one secret');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' '),
  };
}
