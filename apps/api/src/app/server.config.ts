import { registerAs } from '@nestjs/config';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ToBoolean, ToList, ToNumber, validateEnv } from '@dropgate/api/util-config';

export class ServerEnv {
  @ToNumber()
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @ToList()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { each: true, message: 'must be a comma-separated list of origins such as https://portal.example.com' },
  )
  CORS_ORIGINS: string[] = [];

  @ToNumber()
  @IsInt({ message: 'must be a whole number of requests' })
  @Min(1)
  RATE_LIMIT_MAX = 300;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of failed authentications per minute' })
  @Min(1)
  AUTH_FAILURE_RATE_LIMIT = 120;

  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  TRUST_PROXY = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string;
}

export interface ServerSettings {
  port: number;
  host: string;
  corsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
  /** Failed or missing authentications per client address, counted before any token is checked. */
  authFailureLimit: { max: number; windowMs: number };
  trustProxy: boolean;
  logLevel: string;
  webDistDir?: string;
}

export const serverConfig = registerAs('server', (): ServerSettings => {
  const env = validateEnv(ServerEnv, process.env);
  return {
    port: env.PORT,
    host: env.HOST,
    // An origin is compared verbatim, so drop a trailing slash users often paste.
    corsOrigins: env.CORS_ORIGINS.map((origin) => origin.replace(/\/+$/, '')),
    rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000 },
    authFailureLimit: { max: env.AUTH_FAILURE_RATE_LIMIT, windowMs: 60_000 },
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    webDistDir: env.WEB_DIST_DIR,
  };
});
