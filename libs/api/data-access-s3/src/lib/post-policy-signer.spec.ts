import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { PostPolicySigner, type AwsCredentialIdentity } from './post-policy-signer';

const longTerm = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const temporary = { ...longTerm, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDA==' };

async function bothAt(
  isoTime: string,
  request: { key: string; contentType: string; size: number; expiresInSeconds: number; md5?: string },
  credentials: AwsCredentialIdentity = longTerm,
  endpoint: string | null = 'http://127.0.0.1:7480',
) {
  jest.useFakeTimers({ now: new Date(isoTime) });
  const client = new S3Client({
    region: 'eu-central-1',
    endpoint: endpoint ?? undefined,
    forcePathStyle: !!endpoint,
    credentials,
  });
  const reference = await createPresignedPost(client, {
    Bucket: 'uploads-bucket',
    Key: request.key,
    Fields: {
      'Content-Type': request.contentType,
      ...(request.md5 !== undefined && { 'Content-MD5': request.md5 }),
      success_action_status: '201',
    },
    Conditions: [['content-length-range', request.size, request.size]],
    Expires: request.expiresInSeconds,
  });
  const sut = new PostPolicySigner({
    bucket: 'uploads-bucket',
    url: reference.url,
    region: 'eu-central-1',
    credentials: async () => credentials,
    now: () => Date.now(),
  });
  const ours = await sut.sign(request);
  jest.useRealTimers();
  return { reference, ours, sut };
}

describe('PostPolicySigner, against @aws-sdk/s3-presigned-post', () => {
  it.each([
    [
      'a plain name',
      '2026-11-24T10:15:30.123Z',
      {
        key: 'uploads/2026/11/24/id/q3 report.pdf',
        contentType: 'application/pdf',
        size: 12345,
        expiresInSeconds: 300,
      },
    ],
    [
      'unicode, quotes and a parameter',
      '2026-12-31T23:59:59.999Z',
      {
        key: 'uploads/2026/12/31/id/Ünïcødé "quoted" \\ 😀.txt',
        contentType: 'text/plain;charset="utf-8"',
        size: 1,
        expiresInSeconds: 1,
      },
    ],
    [
      'a declared MD5',
      '2026-11-25T08:00:00.000Z',
      {
        key: 'uploads/seg/2026/11/25/id/a.pdf',
        contentType: 'application/pdf',
        size: 5,
        expiresInSeconds: 300,
        md5: 'XUFAKrxLKna5cZ2REBfFkg==',
      },
    ],
    [
      'the largest size and expiry',
      '2027-01-01T00:00:00.000Z',
      { key: 'k', contentType: 'video/mp4', size: 5 * 1024 ** 3, expiresInSeconds: 604800 },
    ],
  ])('should produce byte-identical fields for %s', async (_case, time, request) => {
    const { reference, ours } = await bothAt(time, request);
    expect(JSON.stringify(ours.fields)).toBe(JSON.stringify(reference.fields));
    expect(ours.url).toBe(reference.url);
  });

  it('should include the session token of temporary credentials, as the SDK does', async () => {
    const { reference, ours } = await bothAt(
      '2026-11-24T10:15:30Z',
      { key: 'k', contentType: 'image/png', size: 9, expiresInSeconds: 60 },
      temporary,
    );
    expect(ours.fields['X-Amz-Security-Token']).toBe(temporary.sessionToken);
    expect(JSON.stringify(ours.fields)).toBe(JSON.stringify(reference.fields));
  });

  it('should match the SDK on AWS URLs too', async () => {
    const { reference, ours } = await bothAt(
      '2026-11-24T10:15:30Z',
      { key: 'k', contentType: 'image/png', size: 9, expiresInSeconds: 60 },
      longTerm,
      null,
    );
    expect(reference.url).toBe('https://uploads-bucket.s3.eu-central-1.amazonaws.com/');
    expect(JSON.stringify(ours.fields)).toBe(JSON.stringify(reference.fields));
  });

  it('should report the expiry the policy states', async () => {
    const { ours } = await bothAt('2026-11-24T10:15:30.900Z', {
      key: 'k',
      contentType: 'image/png',
      size: 9,
      expiresInSeconds: 300,
    });
    expect(ours.expiresAt.toISOString()).toBe('2026-11-24T10:20:30.000Z');
    const policy = JSON.parse(Buffer.from(ours.fields['Policy'], 'base64').toString());
    expect(policy.expiration).toBe('2026-11-24T10:20:30Z');
  });

  it('should derive a new signing key when the day or the secret changes', async () => {
    let now = Date.parse('2026-11-24T23:59:59Z');
    let credentials: AwsCredentialIdentity = longTerm;
    const sut = new PostPolicySigner({
      bucket: 'uploads-bucket',
      url: 'http://s3/uploads-bucket',
      region: 'eu-central-1',
      credentials: async () => credentials,
      now: () => now,
    });
    const request = { key: 'k', contentType: 'image/png', size: 9, expiresInSeconds: 60 };
    const signatureAt = async () => (await sut.sign(request)).fields['X-Amz-Signature'];

    const first = await signatureAt();
    now += 2000; // the next day
    const nextDay = await signatureAt();
    credentials = { ...longTerm, secretAccessKey: 'rotated' };
    const rotated = await signatureAt();
    for (const [time, creds, signature] of [
      ['2026-11-24T23:59:59Z', longTerm, first],
      ['2026-11-25T00:00:01Z', longTerm, nextDay],
      ['2026-11-25T00:00:01Z', { ...longTerm, secretAccessKey: 'rotated' }, rotated],
    ] as const) {
      const { reference } = await bothAt(time, request, creds);
      expect(signature).toBe(reference.fields['X-Amz-Signature']);
    }
  });
});
