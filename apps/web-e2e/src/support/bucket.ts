import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { readState } from './servers';

const { gatewayEnv } = readState();
const s3 = new S3Client({
  endpoint: gatewayEnv['S3_ENDPOINT'],
  region: gatewayEnv['S3_REGION'],
  forcePathStyle: true,
  credentials: {
    accessKeyId: gatewayEnv['AWS_ACCESS_KEY_ID'],
    secretAccessKey: gatewayEnv['AWS_SECRET_ACCESS_KEY'],
  },
});

/**
 * Where the browser writes an upload whose record names `key`: the same path under `incoming/`
 * instead of `uploads/`. The API copies it to `key` once it is checked and scanned, so an upload
 * in progress (its multipart upload and parts) is found here.
 */
export function stagingKeyOf(key: string): string {
  return key.replace(/^uploads\//, 'incoming/');
}

/** The stored object's size, or undefined when there is no such object. */
export async function storedSize(key: string): Promise<number | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: gatewayEnv['S3_BUCKET'], Key: key }));
    return head.ContentLength;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return undefined;
    throw error;
  }
}

/** Multipart uploads the gateway holds open under `prefix`. */
export async function openMultipartUploads(prefix: string): Promise<string[]> {
  const listed = await s3.send(
    new ListMultipartUploadsCommand({ Bucket: gatewayEnv['S3_BUCKET'], Prefix: prefix }),
  );
  return (listed.Uploads ?? []).map((u) => u.UploadId ?? '');
}

/** The parts the gateway holds for an open multipart upload, by number. */
export async function storedParts(key: string, uploadId: string): Promise<number[]> {
  const listed = await s3.send(
    new ListPartsCommand({ Bucket: gatewayEnv['S3_BUCKET'], Key: key, UploadId: uploadId }),
  );
  return (listed.Parts ?? []).map((p) => p.PartNumber ?? 0);
}

/** The hex MD5 of the stored object's bytes, read back from the gateway. */
export async function storedMd5(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: gatewayEnv['S3_BUCKET'], Key: key }));
  const hash = createHash('md5');
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** Deletes a test's large object, so that the in-memory gateway keeps its room. */
export async function deleteObject(key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: gatewayEnv['S3_BUCKET'], Key: key }));
}

/** Replaces a stored part with `body`, as if storage had lost the bytes the page sent for it. */
export async function overwritePart(
  key: string,
  uploadId: string,
  partNumber: number,
  body: Buffer,
): Promise<void> {
  await s3.send(
    new UploadPartCommand({
      Bucket: gatewayEnv['S3_BUCKET'],
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: body,
    }),
  );
}
