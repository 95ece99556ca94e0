import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { endpointOf } from './config.mjs';
import { run } from './ceph.mjs';
import { layout } from './cluster.mjs';

const USER_ID = 'dropgate';
const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The gateway user's keys: made on first use and kept in the (git-ignored) data folder. */
export function loadOrCreateCredentials(dir) {
  const file = join(dir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const credentials = {
    accessKeyId: Array.from(randomBytes(20), (b) => ALPHANUM[b % ALPHANUM.length]).join(''),
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

/** Environment variables that point the API (or any S3 client) at this gateway. */
export function clientEnv(options) {
  const credentials = loadOrCreateCredentials(options.dir);
  return {
    S3_ENDPOINT: endpointOf(options),
    S3_BUCKET: options.bucket,
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
}

/** Where clients upload before the API verifies and copies an object to its final key. */
export const STAGING_PREFIX = 'incoming/';

/**
 * The bucket's lifecycle: multipart uploads left incomplete are aborted after a day, and staging
 * objects expire after three days. The API deletes those itself once promoted or rejected; the
 * rule is the backstop for what a crash or a saved policy leaves behind.
 */
export const LIFECYCLE_RULES = [
  {
    ID: 'abort-incomplete-multipart-uploads',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
  },
  {
    ID: 'expire-staging-objects',
    Status: 'Enabled',
    Filter: { Prefix: STAGING_PREFIX },
    Expiration: { Days: 3 },
  },
];

/**
 * Creates the user, the bucket, its CORS rules (POST forms, PUT parts, GET downloads) and its
 * lifecycle rules; each step is a no-op when already done.
 */
export async function bootstrap(options) {
  const paths = layout(options.dir);
  const credentials = loadOrCreateCredentials(options.dir);
  const admin = (...args) => run('radosgw-admin', ['-c', paths.conf, '-n', 'client.admin', ...args]);
  const existing = await admin('user', 'info', '--uid', USER_ID).catch(() => undefined);
  if (!existing) {
    await admin(
      'user',
      'create',
      '--uid',
      USER_ID,
      '--display-name',
      'Dropgate local',
      '--access-key',
      credentials.accessKeyId,
      '--secret-key',
      credentials.secretAccessKey,
    );
  }
  const s3 = new S3Client({
    endpoint: endpointOf(options),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  try {
    const bucket = { Bucket: options.bucket };
    const exists = await s3.send(new HeadBucketCommand(bucket)).then(
      () => true,
      () => false,
    );
    if (!exists) await s3.send(new CreateBucketCommand(bucket));
    await s3.send(
      new PutBucketCorsCommand({
        ...bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: options.corsOrigins,
              AllowedMethods: ['POST', 'PUT', 'GET', 'HEAD'],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 600,
            },
          ],
        },
      }),
    );
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        ...bucket,
        LifecycleConfiguration: { Rules: LIFECYCLE_RULES },
      }),
    );
  } finally {
    s3.destroy();
  }
}
