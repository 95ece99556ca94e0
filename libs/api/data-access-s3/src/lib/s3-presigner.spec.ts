import { createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { S3Presigner } from './s3-presigner';
import type { S3Config } from './s3.config';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

function setup(config: Partial<S3Config> = {}) {
  const s3Config: S3Config = {
    bucket: 'uploads-bucket',
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:7480',
    forcePathStyle: true,
    ...config,
  };
  const client = new S3Client({
    region: s3Config.region,
    endpoint: s3Config.endpoint,
    forcePathStyle: s3Config.forcePathStyle,
    credentials,
  });
  return new S3Presigner(client, s3Config);
}

const request = {
  key: 'uploads/2026/11/24/id/q3 report.pdf',
  contentType: 'application/pdf',
  size: 12345,
  expiresInSeconds: 300,
};

/** SigV4 by hand, from the AWS documentation, as an independent check of the signature. */
function sign(policy: string, date: string, region: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), 's3'),
    'aws4_request',
  );
  return createHmac('sha256', signingKey).update(policy).digest('hex');
}

describe('S3Presigner', () => {
  it('should sign a policy that carries exactly the pinned conditions', async () => {
    const sut = setup();
    const { url, fields, expiresAt } = await sut.presignPost(request);
    const amzDate = fields['X-Amz-Date'];
    const policy = JSON.parse(Buffer.from(fields['Policy'], 'base64').toString('utf8'));

    expect(url).toBe('http://127.0.0.1:7480/uploads-bucket');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'uploads-bucket' },
        { key: request.key },
        { 'Content-Type': 'application/pdf' },
        ['content-length-range', 12345, 12345],
        { success_action_status: '201' },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': `AKIDEXAMPLE/${amzDate.slice(0, 8)}/eu-west-1/s3/aws4_request` },
        { 'X-Amz-Date': amzDate },
      ]),
    );
    expect(policy.conditions).toHaveLength(8);
    const signedAt = Date.parse(
      amzDate.replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(Date.parse(policy.expiration)).toBe(signedAt + 300_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.parse(policy.expiration));
    expect(expiresAt.getTime()).toBeGreaterThan(Date.parse(policy.expiration) - 2000);
  });

  it('should send the form fields the policy requires, and a signature over the policy', async () => {
    const sut = setup();
    const { fields } = await sut.presignPost(request);
    expect(Object.keys(fields).sort()).toEqual(
      [
        'Content-Type',
        'Policy',
        'X-Amz-Algorithm',
        'X-Amz-Credential',
        'X-Amz-Date',
        'X-Amz-Signature',
        'bucket',
        'key',
        'success_action_status',
      ].sort(),
    );
    expect(fields['X-Amz-Signature']).toBe(
      sign(fields['Policy'], fields['X-Amz-Date'].slice(0, 8), 'eu-west-1'),
    );
  });

  it('should use a virtual-hosted URL on AWS', async () => {
    const sut = setup({ endpoint: undefined, forcePathStyle: false });
    const { url } = await sut.presignPost(request);
    expect(url).toBe('https://uploads-bucket.s3.eu-west-1.amazonaws.com/');
    await expect(sut.uploadOrigin()).resolves.toBe('https://uploads-bucket.s3.eu-west-1.amazonaws.com');
  });
});
