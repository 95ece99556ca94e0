// First: modules that load below build date formatters that the API never uses.
import { restoreDateFormats } from './date-formats';
import { ConfigError, IncompleteBuildError } from '@dropgate/api/util-config';
import { s3Config } from '@dropgate/api/data-access-s3';
import { uploadsConfig } from '@dropgate/api/feature-uploads';
import { healthConfig } from '@dropgate/api/feature-health';
import { authConfig } from '@dropgate/api/feature-auth';
import { webhooksConfig } from '@dropgate/api/feature-webhooks';
import { clamavConfig } from '@dropgate/api/data-access-clamav';
import { webhooksTransportConfig } from '@dropgate/api/data-access-webhooks';
import { dbConfig, isDatabaseUnavailable } from '@dropgate/api/data-access-db';
import { metricsConfig } from '@dropgate/api/util-http';
import { serverConfig } from './app/server.config';
import { createApp } from './app/create-app';
import { MigrateUsageError, migrateOnly } from './migrate';

async function main(): Promise<void> {
  restoreDateFormats();
  if (process.argv[2] === 'migrate') return migrateOnly(process.argv[3]);
  // Check every variable before anything starts, so a bad one stops the boot with its name.
  for (const load of [
    serverConfig,
    s3Config,
    uploadsConfig,
    healthConfig,
    authConfig,
    dbConfig,
    clamavConfig,
    webhooksConfig,
    webhooksTransportConfig,
    metricsConfig,
  ])
    load();
  const settings = serverConfig();
  const app = await createApp(settings);
  await app.listen(settings.port, settings.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  app.getHttpAdapter().getInstance().log.info({ port }, `Dropgate API listening on http://localhost:${port}`);
}

main().catch((error: NodeJS.ErrnoException) => {
  if (
    error instanceof ConfigError ||
    error instanceof MigrateUsageError ||
    error instanceof IncompleteBuildError
  ) {
    console.error(error.message);
  } else if (process.argv[2] === 'migrate' && isDatabaseUnavailable(error)) {
    console.error(
      `The database in DATABASE_URL cannot be reached (${error.message}): start it, or check the URL`,
    );
  } else if (error.code === 'EADDRINUSE') {
    console.error(`Port ${serverConfig().port} is already in use: stop the other server or set PORT`);
  } else if (error.name === 'CredentialsProviderError') {
    console.error(
      `No AWS credentials found (${error.message}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with a role`,
    );
  } else {
    console.error(error);
  }
  process.exit(1);
});
