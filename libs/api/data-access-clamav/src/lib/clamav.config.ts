import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsNotEmpty, Max, Min, ValidateIf } from 'class-validator';
import { ConfigError, ToNumber, validateEnv } from '@dropgate/api/util-config';
import { parseClamdUrl } from './clamd-address';
import type { ClamdTimeouts } from './clamd-client';

export class ClamavEnv {
  /** `off` for deployments that scan with a scanner of their own: nothing is sent to clamd. */
  @IsIn(['on', 'off'], { message: 'must be on or off' })
  UPLOAD_SCAN = 'on';

  @ValidateIf((env: ClamavEnv) => env.UPLOAD_SCAN === 'on')
  @IsNotEmpty({
    message:
      'is required: the clamd that scans uploads, as tcp://host:port or the path of its socket (`npm start` runs a local one), unless UPLOAD_SCAN=off',
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

/** The scanner's settings, or `off` when the deployment does not scan. */
export type ScannerSettings = { scan: 'off' } | ({ scan: 'on' } & ClamavSettings);

export const clamavConfig = registerAs('clamav', (): ScannerSettings => {
  const env = validateEnv(ClamavEnv, process.env);
  if (env.UPLOAD_SCAN === 'off') return { scan: 'off' };
  try {
    parseClamdUrl(env.CLAMD_URL);
  } catch {
    throw new ConfigError(
      'CLAMD_URL',
      `must be tcp://host:port or the absolute path of clamd's socket (got "${env.CLAMD_URL}")`,
    );
  }
  return {
    scan: 'on',
    url: env.CLAMD_URL,
    connectTimeoutMs: env.CLAMD_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: env.CLAMD_IDLE_TIMEOUT_MS,
  };
});
