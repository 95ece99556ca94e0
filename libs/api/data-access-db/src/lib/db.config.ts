import { registerAs } from '@nestjs/config';
import { IsInt, IsNotEmpty, Matches, Max, Min } from 'class-validator';
import { ToNumber, validateEnv } from '@dropgate/api/util-config';

export class DbEnv {
  @IsNotEmpty({
    message:
      'is required: a PostgreSQL URL such as postgres://user:password@host:5432/dropgate (`npm start` runs a local one)',
  })
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = '';

  @ToNumber()
  @IsInt({ message: 'must be a whole number of connections' })
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @ToNumber()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 5_000;
}

export interface DbSettings {
  url: string;
  poolSize: number;
  /** The longest a statement may run; the server cancels it after that. */
  statementTimeoutMs: number;
  /** The longest to wait for a connection, so that a database that is down fails fast. */
  connectTimeoutMs: number;
}

export const dbConfig = registerAs('db', (): DbSettings => {
  const env = validateEnv(DbEnv, process.env);
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: 3_000,
  };
});
