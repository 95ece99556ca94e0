import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DataAccessS3Module } from '@dropgate/api/data-access-s3';
import { DataAccessClamavModule } from '@dropgate/api/data-access-clamav';
import { HealthController } from './health.controller';
import { DrainService } from './drain.service';
import { ReadinessProbe } from './readiness-probe';
import { healthConfig } from './health.config';

@Module({
  imports: [ConfigModule.forFeature(healthConfig), DataAccessS3Module, DataAccessClamavModule],
  controllers: [HealthController],
  providers: [DrainService, ReadinessProbe],
})
export class HealthModule {}
