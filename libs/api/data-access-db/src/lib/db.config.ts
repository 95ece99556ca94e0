import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsNotEmpty, Matches, Max, Min } from 'class-validator';
import { ToBoolean, ToNumber, validateEnv } from '@dropgate/api/util-config';

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

  @ToBoolean()
  @IsBoolean({
    message: 'must be true or false (false behind a pooler that does not keep prepared statements)',
  })
  DATABASE_PREPARED_STATEMENTS = true;
}

export interface DbSettings {
  url: string;
  poolSize: number;
  /** The longest a statement may run; the server cancels it after that. */
  statementTimeoutMs: number;
  /** The longest to wait for a connection, so that a database that is down fails fast. */
  connectTimeoutMs: number;
  /**
   * Whether the hottest statements run prepared, parsed once per connection. Off behind a pooler
   * in transaction mode that does not keep each client's prepared statements (PgBouncer
   * before 1.21, or later without `max_prepared_statements`).
   */
  preparedStatements: boolean;
}

export const dbConfig = registerAs('db', (): DbSettings => {
  const env = validateEnv(DbEnv, process.env);
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: 3_000,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
  };
});
