// What the scan thread needs to read stored objects, without the Nest module and its settings:
// the thread loads only this, the AWS SDK and the clamd client.
export { createS3Client } from './lib/s3-client';
export { readVerified, type VerifiedObject, type VerifiedRead } from './lib/s3-verified-read';
export { RANGED_READ } from './lib/s3-ranged-read';
export type { S3Config } from './lib/s3.config';
