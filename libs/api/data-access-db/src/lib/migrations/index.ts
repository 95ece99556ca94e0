// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- types of kysely/migration, see the file
/// <reference path="../../kysely-migration.d.ts" />
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001-uploads';
import * as m0002 from './0002-settling-lease';
import * as m0003 from './0003-staging-and-scanning';
import * as m0004 from './0004-webhooks';
import * as m0005 from './0005-idempotency-keys';
import * as m0006 from './0006-deliveries-due-order';

/**
 * The migrations, in order. Listed here rather than read from a folder at run time, so that they
 * are part of the built API (one bundle) and a missing file fails the build, not a deployment.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-uploads': m0001,
  '0002-settling-lease': m0002,
  '0003-staging-and-scanning': m0003,
  '0004-webhooks': m0004,
  '0005-idempotency-keys': m0005,
  '0006-deliveries-due-order': m0006,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
