import { call } from './support/http';
import { startApi, type RunningApi } from './support/api-process';
import { emptyDatabase } from './support/database';

const multipart = {
  fileName: 'big.pdf',
  contentType: 'application/pdf',
  size: 10,
  method: 'multipart',
};

/** Storage that answers, but refuses: the deployment's settings are wrong, not the network. */
describe('storage misconfigured', () => {
  const misconfigured = async (api: RunningApi) => {
    const response = await call(api.baseUrl, 'POST', '/api/uploads', multipart);
    expect(response.status).toBe(500);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.json().errors[0].code).toBe('storage.misconfigured');
    return response;
  };
  /**
   * The log lines matching `pattern`, once the request lines of `calls` refused creates are
   * written: pino writes asynchronously but in order, so every line logged during those calls is
   * there by then.
   */
  const lines = async (api: RunningApi, pattern: RegExp, calls: number) => {
    const answered = () =>
      (api.output().match(/"method":"POST","path":"\/api\/uploads","status":500/g) ?? []).length;
    for (let i = 0; i < 100 && answered() < calls; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered()).toBe(calls);
    return api
      .output()
      .split('\n')
      .filter((line) => pattern.test(line));
  };

  it('should answer 500 storage.misconfigured for a missing bucket, and log how to fix it once', async () => {
    // A database of its own: an API shares its background work with every API on its database.
    const api = await startApi({
      DATABASE_URL: await emptyDatabase('storage_missing_bucket'),
      S3_BUCKET: 'no-such-bucket-here',
    });
    try {
      await misconfigured(api);
      await misconfigured(api);
      const fixes = await lines(api, /create the bucket \\"no-such-bucket-here\\", or set S3_BUCKET/, 2);
      expect(fixes).toHaveLength(1);
      expect(fixes[0]).toMatch(/NoSuchBucket/);
      expect(api.output()).not.toMatch(/"status":503/);
    } finally {
      await api.stop();
    }
  });

  it('should answer 500 storage.misconfigured for credentials storage refuses, naming them in the log', async () => {
    const api = await startApi({
      DATABASE_URL: await emptyDatabase('storage_bad_secret'),
      AWS_SECRET_ACCESS_KEY: 'not-the-secret-key-of-this-user',
    });
    try {
      const response = await misconfigured(api);
      // The answer tells the client it is not its fault; the secret names stay in the log.
      expect(response.json().detail).not.toMatch(/AWS_/);
      const refused = await lines(api, /storage refused s3:PutObject/, 1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(/with SignatureDoesNotMatch: check the API's AWS credentials/);
    } finally {
      await api.stop();
    }
  });
});
