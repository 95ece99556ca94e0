import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  MigrationsService,
  WebhookEndpointsRepository,
  type DueDelivery,
} from '@dropgate/api/data-access-db';
import { SecretBox } from '@dropgate/api/data-access-webhooks';
import { ConfigError } from '@dropgate/api/util-config';
import { webhooksNotConfigured } from './webhook-errors';
import { webhooksConfig, type WebhooksSettings } from './webhooks.config';

/**
 * Endpoint secrets at rest: sealed with WEBHOOK_SECRETS_KEY (AES-256-GCM), opened only to sign.
 * Without the key nothing can be signed, so the boot refuses to go on once endpoints exist, and
 * registering one answers 503 `webhooks.not_configured` until the key is set.
 */
@Injectable()
export class WebhookSecrets implements OnApplicationBootstrap {
  private readonly box: SecretBox | null;

  constructor(
    @Inject(webhooksConfig.KEY) settings: WebhooksSettings,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly schema: MigrationsService,
  ) {
    this.box = settings.secretsKey ? new SecretBox(settings.secretsKey) : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.box || !this.schema.ready) return;
    const count = await this.endpoints.countEndpoints();
    if (count > 0) {
      throw new ConfigError(
        'WEBHOOK_SECRETS_KEY',
        `is required: ${count} webhook endpoint${count === 1 ? '' : 's'} exist, whose secrets it seals; set the key they were sealed with (\`npm start\` keeps a local one in .local-webhooks/)`,
      );
    }
  }

  seal(secret: string): string {
    if (!this.box) throw webhooksNotConfigured();
    return this.box.seal(secret);
  }

  /** The secrets a delivery is signed with: the endpoint's, and its previous one during a rotation's grace. */
  signingSecrets(
    endpoint: Pick<DueDelivery, 'secret_sealed' | 'previous_secret_sealed' | 'previous_secret_expires_at'>,
  ): string[] | undefined {
    if (!this.box) return undefined;
    const { secret_sealed, previous_secret_sealed, previous_secret_expires_at } = endpoint;
    const inGrace =
      previous_secret_sealed &&
      previous_secret_expires_at &&
      new Date(previous_secret_expires_at).getTime() > Date.now();
    return [secret_sealed, ...(inGrace ? [previous_secret_sealed] : [])].map((sealed) =>
      (this.box as SecretBox).open(sealed),
    );
  }
}
