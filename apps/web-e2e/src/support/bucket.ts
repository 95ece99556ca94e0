import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
