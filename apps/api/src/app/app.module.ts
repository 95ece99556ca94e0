import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { UploadsModule } from '@dropgate/api/feature-uploads';
import { HealthModule } from '@dropgate/api/feature-health';
import { WebhooksModule } from '@dropgate/api/feature-webhooks';
import { AuthGuard, AuthModule } from '@dropgate/api/feature-auth';
import { DataAccessDbModule } from '@dropgate/api/data-access-db';
import {
  AUTHENTICATION,
  AUTH_FAILURE_COUNTER,
  AuthFailureLimitGuard,
  ProblemDetailsFilter,
  RATE_LIMIT_COUNTER,
  RateLimitGuard,
  createValidationPipe,
} from '@dropgate/api/util-http';
import { RedisRateStore, connectRateStore, createRateCounter } from '@dropgate/api/data-access-redis';
import { serverConfig, type ServerSettings } from './server.config';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [serverConfig] }),
    DataAccessDbModule,
    AuthModule,
    // Built beside main.js from ../scan-thread.ts.
    UploadsModule.register({ scanThread: join(__dirname, 'scan-thread.js') }),
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
    // Both limits are counted in Redis when REDIS_URL is set, so that instances count together;
    // else in this process's memory. `null` when there is no Redis: Nest keeps it as the value.
    {
      provide: RedisRateStore,
      inject: [serverConfig.KEY],
      useFactory: async ({ redisUrl }: ServerSettings) => (redisUrl ? connectRateStore(redisUrl) : null),
    },
    {
      provide: AUTH_FAILURE_COUNTER,
      inject: [serverConfig.KEY, RedisRateStore],
      useFactory: (server: ServerSettings, store: RedisRateStore | null) =>
        createRateCounter(store, {
          name: 'auth-failures',
          ...server.authFailureLimit,
          instances: server.rateLimitInstances,
        }),
    },
    { provide: APP_GUARD, useClass: AuthFailureLimitGuard },
    {
      provide: RATE_LIMIT_COUNTER,
      inject: [serverConfig.KEY, RedisRateStore],
      useFactory: (server: ServerSettings, store: RedisRateStore | null) =>
        createRateCounter(store, {
          name: 'requests',
          ...server.rateLimit,
          instances: server.rateLimitInstances,
        }),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AppModule {}
