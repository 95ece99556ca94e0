import { registerAs } from '@nestjs/config';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { ToNumber, validateEnv } from '@dropgate/api/util-config';
import { parseAllowedNetworks } from './allowed-networks';
import type { WebhookTransportSettings } from './webhook-sender';

export class WebhooksTransportEnv {
  /** Networks webhooks may reach although they are not public, e.g. `10.20.0.0/16,fd00::/8`. */
  @IsString()
  WEBHOOK_ALLOWED_CIDRS = '';

  @ToNumber()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(60_000)
  WEBHOOK_CONNECT_TIMEOUT_MS = 5_000;

  /** What Svix allows a receiver; a slower receiver should answer first and work afterwards. */
  @ToNumber()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(120_000)
  WEBHOOK_ATTEMPT_TIMEOUT_MS = 15_000;
}

/** Where webhooks may go and how long an attempt may take. */
export const webhooksTransportConfig = registerAs('webhooksTransport', (): WebhookTransportSettings => {
  const env = validateEnv(WebhooksTransportEnv, process.env);
  return {
    allowed: parseAllowedNetworks(env.WEBHOOK_ALLOWED_CIDRS),
    connectTimeoutMs: env.WEBHOOK_CONNECT_TIMEOUT_MS,
    attemptTimeoutMs: env.WEBHOOK_ATTEMPT_TIMEOUT_MS,
  };
});
