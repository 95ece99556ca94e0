import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DataAccessWebhooksModule } from '@dropgate/api/data-access-webhooks';
import { DeliveryWorker } from './delivery-worker';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSecrets } from './webhook-secrets.service';
import { WebhooksController } from './webhooks.controller';
import { webhooksConfig } from './webhooks.config';

/** Webhooks: the admin API and the delivery worker; the outbox is written by the repositories. */
@Module({
  imports: [ConfigModule.forFeature(webhooksConfig), DataAccessWebhooksModule],
  controllers: [WebhooksController],
  providers: [WebhookSecrets, WebhookEndpointsService, WebhookDeliveriesService, DeliveryWorker],
})
export class WebhooksModule {}
