import { registerAs } from '@nestjs/config';
import { IsInt, IsNotEmpty, Max, Min } from 'class-validator';
import { ConfigError, ToNumber, validateEnv } from '@dropgate/api/util-config';
import { parseClamdUrl } from './clamd-address';
import type { ClamdTimeouts } from './clamd-client';

export class ClamavEnv {
  @IsNotEmpty({
    message:
      'is required: the clamd that scans uploads, as tcp://host:port or the path of its socket (`npm start` runs a local one)',
  })
  CLAMD_URL = '';

  @ToNumber()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(60_000)
  CLAMD_CONNECT_TIMEOUT_MS = 5_000;

  /** clamd is silent while it scans, so this outlasts its MaxScanTime (120 s by default). */
  @ToNumber()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1_000)
  @Max(3_600_000)
  CLAMD_IDLE_TIMEOUT_MS = 180_000;
}

export interface ClamavSettings extends ClamdTimeouts {
  url: string;
}

export const clamavConfig = registerAs('clamav', (): ClamavSettings => {
  const env = validateEnv(ClamavEnv, process.env);
  try {
    parseClamdUrl(env.CLAMD_URL);
  } catch {
    throw new ConfigError(
      'CLAMD_URL',
      `must be tcp://host:port or the absolute path of clamd's socket (got "${env.CLAMD_URL}")`,
    );
  }
  return {
    url: env.CLAMD_URL,
    connectTimeoutMs: env.CLAMD_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: env.CLAMD_IDLE_TIMEOUT_MS,
  };
});
