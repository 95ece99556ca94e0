import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, ValidateBy } from 'class-validator';
import { ConfigError, ToList, ToNumber, validateEnv } from '@dropgate/api/util-config';
import { isTrustedProxy } from '@dropgate/api/util-http';

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

  @ToNumber()
  @IsInt({ message: 'must be a whole number of API instances sharing the rate limits' })
  @Min(1)
  RATE_LIMIT_INSTANCES = 1;

  @IsOptional()
  @IsUrl(
    { protocols: ['redis', 'rediss'], require_protocol: true, require_tld: false },
    { message: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' },
  )
  REDIS_URL?: string;

  @ToList()
  @ValidateBy(
    {
      name: 'isTrustedProxy',
      validator: { validate: (value) => typeof value === 'string' && isTrustedProxy(value) },
    },
    {
      each: true,
      message:
        "must be a comma-separated list of the proxies' addresses or CIDR ranges, such as 127.0.0.1,10.0.0.0/8",
    },
  )
  TRUSTED_PROXIES: string[] = [];

  @ToNumber()
  @IsInt({ message: 'must be a whole number of creates worked on at once (0 for no limit)' })
  @Min(0)
  ADMISSION_LIMIT = 12;

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
  /** Shared through Redis when set; each instance counts alone when not. */
  redisUrl?: string;
  /** How many instances share the limits: while Redis is down, each lets through its share. */
  rateLimitInstances: number;
  /** Fastify's trustProxy: the proxies whose X-Forwarded-For names the client, or none. */
  trustProxy: string[] | false;
  /** Creates worked on at once; the rest wait their turn before any work (0: no limit). */
  admissionLimit: number;
  logLevel: string;
  webDistDir?: string;
}

export const serverConfig = registerAs('server', (): ServerSettings => {
  // A boolean trusted every peer's X-Forwarded-For; refuse it rather than trust nobody silently.
  if (process.env['TRUST_PROXY']) {
    throw new ConfigError(
      'TRUST_PROXY',
      "is no longer read: set TRUSTED_PROXIES to the proxies' addresses (e.g. 127.0.0.1) and remove TRUST_PROXY",
    );
  }
  const env = validateEnv(ServerEnv, process.env);
  return {
    port: env.PORT,
    host: env.HOST,
    // An origin is compared verbatim, so drop a trailing slash users often paste.
    corsOrigins: env.CORS_ORIGINS.map((origin) => origin.replace(/\/+$/, '')),
    rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000 },
    authFailureLimit: { max: env.AUTH_FAILURE_RATE_LIMIT, windowMs: 60_000 },
    redisUrl: env.REDIS_URL,
    rateLimitInstances: env.RATE_LIMIT_INSTANCES,
    trustProxy: env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false,
    admissionLimit: env.ADMISSION_LIMIT,
    logLevel: env.LOG_LEVEL,
    webDistDir: env.WEB_DIST_DIR,
  };
});
