#!/usr/bin/env node
// The throwaway gateway the integration and browser tests run against: in-memory storage, its
// own ports and folder, so it never touches the data of `npm start`.
//   start  → prints {"env": {...}, "startedNow": bool} as JSON; a gateway already running is kept,
//            and its bucket rules are set again so that they are the ones the tests expect
//   stop   → stops it and deletes its folder
import { resolveOptions } from './config.mjs';
import { resetCluster, startCluster } from './cluster.mjs';
import { bootstrap, clientEnv } from './bootstrap.mjs';
import { LocalServiceError } from '../local-service/errors.mjs';

/** Origins the browser tests serve the web app from. */
export const TEST_WEB_ORIGINS = [3100, 3101, 3102, 3103, 3104].map((port) => `http://127.0.0.1:${port}`);

const options = resolveOptions({
  dir: 'tmp/local-s3-test',
  port: '7481',
  'mon-port': '3301',
  store: 'memstore',
  bucket: 'dropgate-test',
  'cors-origins': TEST_WEB_ORIGINS.join(','),
});

const command = process.argv[2];
try {
  if (command === 'start') {
    const result = await startCluster(options, (step) => console.error(`test gateway: ${step}`));
    await bootstrap(options);
    console.log(JSON.stringify({ env: clientEnv(options), startedNow: !result.alreadyRunning }));
  } else if (command === 'stop') {
    await resetCluster(options);
  } else {
    throw new LocalServiceError('usage: test-gateway.mjs <start|stop>', 2);
  }
} catch (error) {
  console.error(`test gateway: ${error instanceof LocalServiceError ? error.message : error.stack}`);
  process.exit(error.exitCode ?? 1);
}
