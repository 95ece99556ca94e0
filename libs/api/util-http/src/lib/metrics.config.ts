import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ToNumber, validateEnv } from '@dropgate/api/util-config';

/** The variables the metrics server reads. */
export class MetricsEnv {
  // Unset: no metrics server. 0: any free port (tests), logged at boot.
  @IsOptional()
  @ToNumber()
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  // Loopback by default: the metrics tell anyone who can read them about traffic and uploads.
  @IsString()
  METRICS_HOST = '127.0.0.1';
}

export interface MetricsSettings {
  /** Where `GET /metrics` is served, apart from the public port; undefined turns it off. */
  port?: number;
  host: string;
}

/** The metrics server's settings, validated: a bad value stops the boot naming its variable. */
export const metricsConfig = registerAs('metrics', (): MetricsSettings => {
  const env = validateEnv(MetricsEnv, process.env);
  return { port: env.METRICS_PORT, host: env.METRICS_HOST };
});
