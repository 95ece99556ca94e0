import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';

export const ROOT = join(__dirname, '../../../..');

const state = JSON.parse(readFileSync(join(ROOT, 'tmp/api-e2e/state.json'), 'utf8'));

/** S3_* and AWS_* variables of the throwaway gateway, written by the global setup. */
export const gatewayEnv: Record<string, string> = state.env;

/** OIDC_* variables of the throwaway identity provider the APIs trust, and its CLI flags. */
export const identityEnv: Record<string, string> = state.idpEnv;
export const identityFlags: string[] = state.idpFlags;

/** DATABASE_URL of the throwaway PostgreSQL. */
export const databaseEnv: { DATABASE_URL: string } = state.dbEnv;

/** CLAMD_URL of the throwaway clamd, which knows only the project's EICAR test signatures. */
export const clamdEnv: { CLAMD_URL: string } = state.clamdEnv;

export const s3 = new S3Client({
  endpoint: gatewayEnv.S3_ENDPOINT,
  region: gatewayEnv.S3_REGION,
  forcePathStyle: true,
  credentials: {
    accessKeyId: gatewayEnv.AWS_ACCESS_KEY_ID,
    secretAccessKey: gatewayEnv.AWS_SECRET_ACCESS_KEY,
  },
});

export async function headObject(key: string) {
  return s3.send(new HeadObjectCommand({ Bucket: gatewayEnv.S3_BUCKET, Key: key }));
}

/** Where clients write the upload whose final key is `key` (the default prefixes). */
export const stagingKeyOf = (key: string) => key.replace(/^uploads\//, 'incoming/');

/** The object's bytes, or undefined when there is none. */
export async function objectBytes(key: string): Promise<Buffer | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: gatewayEnv.S3_BUCKET, Key: key }));
    return Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function objectExists(key: string): Promise<boolean> {
  return headObject(key).then(
    () => true,
    (error: { name?: string }) => {
      if (error.name === 'NotFound') return false;
      throw error;
    },
  );
}

/** Whether the object is gone within `timeoutMs` (polled: a background worker deletes it). */
export async function objectGone(key: string, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await objectExists(key)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

/** A second bucket on the same gateway, for policies replayed against the wrong bucket. */
export async function ensureBucket(name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
}
