import { GetBucketCorsCommand, GetBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { gatewayEnv, s3 } from './support/gateway';

// The rules tools/local-s3 gives its bucket, read back from the real gateway.
describe('the local bucket', () => {
  const Bucket = gatewayEnv.S3_BUCKET;

  it('should let the web app POST forms, PUT parts and read ETags from its origins', async () => {
    const { CORSRules = [] } = await s3.send(new GetBucketCorsCommand({ Bucket }));
    expect(CORSRules).toHaveLength(1);
    expect(CORSRules[0].AllowedMethods?.sort()).toEqual(['GET', 'HEAD', 'POST', 'PUT']);
    expect(CORSRules[0].AllowedOrigins).toEqual([
      'http://127.0.0.1:3100',
      'http://127.0.0.1:3101',
      'http://127.0.0.1:3102',
      'http://127.0.0.1:3103',
      'http://127.0.0.1:3104',
    ]);
    expect(CORSRules[0].ExposeHeaders).toEqual(['ETag']);
  });

  it('should abort multipart uploads left incomplete for a day, and expire staging objects after three', async () => {
    const { Rules = [] } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(Rules).toHaveLength(2);
    expect(Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ID: 'abort-incomplete-multipart-uploads',
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
        expect.objectContaining({
          ID: 'expire-staging-objects',
          Status: 'Enabled',
          Filter: { Prefix: 'incoming/' },
          Expiration: { Days: 3 },
        }),
      ]),
    );
    // The expiry is for staging objects only, never for the final keys.
    const expiring = Rules.filter((rule) => rule.Expiration);
    expect(expiring.map((rule) => rule.Filter?.Prefix)).toEqual(['incoming/']);
  });
});
