import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ConfigError, ToNumber, validateEnv } from '@dropgate/api/util-config';
import { parseSecretsKey } from '@dropgate/api/data-access-webhooks';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './retry-schedule';

export class WebhooksEnv {
  /** 32 bytes, base64 or hex, that seal every endpoint's signing secret (AES-256-GCM). */
  @IsOptional()
  @IsString()
  WEBHOOK_SECRETS_KEY?: string;

  @IsString()
  WEBHOOK_RETRY_SCHEDULE = DEFAULT_RETRY_SCHEDULE;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(7 * 24 * 3600)
  WEBHOOK_SECRET_GRACE_SECONDS = 24 * 3600;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(60)
  WEBHOOK_DISABLE_AFTER_SECONDS = 5 * 24 * 3600;

  @ToNumber()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(256)
  WEBHOOK_DELIVERY_CONCURRENCY = 16;
}

export interface WebhooksSettings {
  /** Seals endpoint secrets; absent until someone sets it (required once endpoints exist). */
  secretsKey?: Buffer;
  /** Waits after each failed attempt, in milliseconds: its length is the number of retries. */
  retrySchedule: number[];
  secretGraceMs: number;
  /** An endpoint whose deliveries have all failed for this long is disabled. */
  disableAfterMs: number;
  concurrency: number;
}

export const webhooksConfig = registerAs('webhooks', (): WebhooksSettings => {
  const env = validateEnv(WebhooksEnv, process.env);
  const retrySchedule = parseRetrySchedule(env.WEBHOOK_RETRY_SCHEDULE);
  if (!retrySchedule) {
    throw new ConfigError(
      'WEBHOOK_RETRY_SCHEDULE',
      `must be waits with units, comma-separated, such as ${DEFAULT_RETRY_SCHEDULE} (got "${env.WEBHOOK_RETRY_SCHEDULE}")`,
    );
  }
  return {
    // A key that is set but short or malformed stops the boot whether or not endpoints exist.
    ...(env.WEBHOOK_SECRETS_KEY && { secretsKey: parseSecretsKey(env.WEBHOOK_SECRETS_KEY) }),
    retrySchedule,
    secretGraceMs: env.WEBHOOK_SECRET_GRACE_SECONDS * 1000,
    disableAfterMs: env.WEBHOOK_DISABLE_AFTER_SECONDS * 1000,
    concurrency: env.WEBHOOK_DELIVERY_CONCURRENCY,
  };
});
