import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { UploadsModule } from '@dropgate/api/feature-uploads';
import { HealthModule } from '@dropgate/api/feature-health';
import {
  FixedWindowThrottlerStorage,
  PlainKeyThrottlerGuard,
  ProblemDetailsFilter,
  createValidationPipe,
} from '@dropgate/api/util-http';
import { serverConfig } from './server.config';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [serverConfig] }),
    ThrottlerModule.forRootAsync({
      inject: [serverConfig.KEY],
      useFactory: (server: ConfigType<typeof serverConfig>) => ({
        throttlers: [{ ttl: server.rateLimit.windowMs, limit: server.rateLimit.max }],
        storage: new FixedWindowThrottlerStorage(),
      }),
    }),
    UploadsModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_GUARD, useClass: PlainKeyThrottlerGuard },
  ],
})
export class AppModule {}
