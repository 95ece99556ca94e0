import type { AllowedNetwork } from './allowed-networks';
import { checkWebhookUrl, type WebhookUrlCheck } from './webhook-target';

/** `checkWebhookUrl` bound to the networks this deployment allows (`WEBHOOK_ALLOWED_CIDRS`). */
export class WebhookTargets {
  constructor(readonly allowed: readonly AllowedNetwork[]) {}

  /** Checks a URL someone wants to register; see `checkWebhookUrl` for the rules. */
  check(url: string): WebhookUrlCheck {
    return checkWebhookUrl(url, this.allowed);
  }
}
