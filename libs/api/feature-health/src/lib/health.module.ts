import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { DataAccessS3Module } from '@dropgate/api/data-access-s3';
import { HealthController } from './health.controller';
import { DrainService } from './drain.service';
import { StorageHealthIndicator } from './storage.health';
import { healthConfig } from './health.config';

@Module({
  imports: [
    ConfigModule.forFeature(healthConfig),
    TerminusModule.forRoot({ logger: false }),
    DataAccessS3Module,
  ],
  controllers: [HealthController],
  providers: [DrainService, StorageHealthIndicator],
})
export class HealthModule {}
