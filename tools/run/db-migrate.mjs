#!/usr/bin/env node
// `npm run db:migrate [-- down]`: applies the migrations (or reverts the latest) to DATABASE_URL, or to the local PostgreSQL (started
// if needed, as `npm start` would) when DATABASE_URL is not set. The API also migrates at boot.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LocalServiceError } from '../local-service/errors.mjs';
import { resolveOptions } from '../local-pg/config.mjs';
import { clientEnv, startPg } from '../local-pg/postgres.mjs';
import { API_MAIN } from './api-runtime.mjs';

try {
  let env = process.env;
  if (!env.DATABASE_URL) {
    const options = resolveOptions({});
    await startPg(options, (step) => console.error(`db:migrate: local PostgreSQL: ${step}`));
    env = { ...env, ...clientEnv(options) };
  }
  if (!existsSync(API_MAIN)) {
    execFileSync('npx', ['nx', 'run', 'api:build', '--output-style=static'], { stdio: 'inherit' });
  }
  const result = spawnSync(process.execPath, [API_MAIN, 'migrate', ...process.argv.slice(2)], {
    env,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
} catch (error) {
  console.error(`db:migrate: ${error instanceof LocalServiceError ? error.message : error.stack}`);
  process.exit(1);
}
