import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { ToNumber, validateEnv } from '@dropgate/api/util-config';

export class HealthEnv {
  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(300)
  SHUTDOWN_DRAIN_SECONDS = 0;
}

export interface HealthSettings {
  /** How long readiness reports 503 before the server stops taking requests. */
  drainSeconds: number;
}

export const healthConfig = registerAs('health', (): HealthSettings => {
  const env = validateEnv(HealthEnv, process.env);
  return { drainSeconds: env.SHUTDOWN_DRAIN_SECONDS };
});
