import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { Kysely } from 'kysely';
import type { Database } from './database';
import { DatabaseHealth } from './database.health';
import { dbConfig } from './db.config';
import { DB, kyselyProvider } from './kysely.provider';
import { MigrationsService } from './migrations.service';
import { UploadsRepository } from './uploads.repository';
import { StagingSweepsRepository } from './staging-sweeps.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { PgListener } from './pg-listener';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

/** The database: one pool per process, migrated at boot, closed at shutdown. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(dbConfig)],
  providers: [
    kyselyProvider,
    MigrationsService,
    DatabaseHealth,
    UploadsRepository,
    StagingSweepsRepository,
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    PgListener,
    IdempotencyKeysRepository,
  ],
  exports: [
    DB,
    DatabaseHealth,
    UploadsRepository,
    StagingSweepsRepository,
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    MigrationsService,
    PgListener,
    IdempotencyKeysRepository,
  ],
})
export class DataAccessDbModule implements OnApplicationShutdown {
  constructor(@Inject(DB) private readonly db: Kysely<Database>) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
