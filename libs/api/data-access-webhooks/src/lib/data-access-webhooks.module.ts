import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { WebhookSender, type WebhookTransportSettings } from './webhook-sender';
import { WebhookTargets } from './webhook-targets';
import { webhooksTransportConfig } from './webhooks.config';

/**
 * Webhook transport: `WebhookTargets` (URL checks for registration) and `WebhookSender`
 * (delivery). Sealing endpoint secrets (`SecretBox`) is the feature's: the key may be absent
 * while no endpoint exists.
 */
@Module({
  imports: [ConfigModule.forFeature(webhooksTransportConfig)],
  providers: [
    {
      provide: WebhookTargets,
      inject: [webhooksTransportConfig.KEY],
      useFactory: (settings: WebhookTransportSettings) => new WebhookTargets(settings.allowed),
    },
    {
      provide: WebhookSender,
      inject: [webhooksTransportConfig.KEY],
      useFactory: (settings: WebhookTransportSettings) => new WebhookSender(settings),
    },
  ],
  exports: [WebhookTargets, WebhookSender],
})
export class DataAccessWebhooksModule {}
