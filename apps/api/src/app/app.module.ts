import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { UploadsModule } from '@dropgate/api/feature-uploads';
import { HealthModule } from '@dropgate/api/feature-health';
import { WebhooksModule } from '@dropgate/api/feature-webhooks';
import { AuthGuard, AuthModule } from '@dropgate/api/feature-auth';
import { DataAccessDbModule } from '@dropgate/api/data-access-db';
import {
  AUTHENTICATION,
  AUTH_FAILURE_COUNTER,
  AuthFailureLimitGuard,
  FixedWindowCounter,
  ProblemDetailsFilter,
  RATE_LIMIT_OPTIONS,
  RateLimitGuard,
  createValidationPipe,
} from '@dropgate/api/util-http';
import { serverConfig } from './server.config';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [serverConfig] }),
    DataAccessDbModule,
    AuthModule,
    UploadsModule,
    WebhooksModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    // Guards run in this order: who is calling first, so that the rate limit can count per
    // principal. Authentication sits behind a limit on failures per address, so that a client
    // that keeps failing is refused before its token costs a signature check.
    { provide: AUTHENTICATION, useExisting: AuthGuard },
    {
      provide: AUTH_FAILURE_COUNTER,
      inject: [serverConfig.KEY],
      useFactory: ({ authFailureLimit }: ConfigType<typeof serverConfig>) =>
        new FixedWindowCounter(authFailureLimit.max, authFailureLimit.windowMs),
    },
    { provide: APP_GUARD, useClass: AuthFailureLimitGuard },
    {
      provide: RATE_LIMIT_OPTIONS,
      inject: [serverConfig.KEY],
      useFactory: (server: ConfigType<typeof serverConfig>) => server.rateLimit,
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AppModule {}
