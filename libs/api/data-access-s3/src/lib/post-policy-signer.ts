import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface PostPolicySignerOptions {
  bucket: string;
  /** Where the form is POSTed; fixed per bucket, resolved once by the SDK. */
  url: string;
  region: string;
  /** The SDK's credential provider: cached, and refreshed when temporary credentials expire. */
  credentials: () => Promise<AwsCredentialIdentity>;
  /** Milliseconds since the epoch, corrected for clock skew as the SDK corrects it. */
  now: () => number;
}

export interface PostPolicyFields {
  key: string;
  contentType: string;
  size: number;
  expiresInSeconds: number;
  /** Base64 MD5 of the file: pinned as `Content-MD5`, which AWS S3 checks on POST. */
  md5?: string;
}

/**
 * Signs S3 POST policies (SigV4) as `@aws-sdk/s3-presigned-post` does, byte for byte, but with the
 * URL resolved once and the day's signing key cached, so a request costs one HMAC. The SDK stays
 * the reference: a unit test compares the two for the same inputs and clock.
 */
export class PostPolicySigner {
  private cachedKey?: { scope: string; secret: string; key: KeyObject };

  constructor(private readonly options: PostPolicySignerOptions) {}

  /** Where forms signed by this signer are POSTed. */
  get url(): string {
    return this.options.url;
  }

  async sign(
    request: PostPolicyFields,
  ): Promise<{ url: string; fields: Record<string, string>; expiresAt: Date }> {
    const { bucket, url, region } = this.options;
    const credentials = await this.options.credentials();
    const now = new Date(this.options.now());
    const amzDate = basicIso8601(now);
    const shortDate = amzDate.slice(0, 8);
    const scope = `${shortDate}/${region}/s3/aws4_request`;
    // Same order as the SDK: its Fields, then bucket and the X-Amz-* fields.
    const fields: Record<string, string> = {
      'Content-Type': request.contentType,
      ...(request.md5 !== undefined && { 'Content-MD5': request.md5 }),
      success_action_status: '201',
      bucket,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
      'X-Amz-Date': amzDate,
    };
    if (credentials.sessionToken) fields['X-Amz-Security-Token'] = credentials.sessionToken;
    const expiration = new Date(now.getTime() + request.expiresInSeconds * 1000);
    const conditions: unknown[] = [['content-length-range', request.size, request.size]];
    for (const [name, value] of Object.entries(fields)) conditions.push({ [name]: value });
    conditions.push({ key: request.key });
    const policy = Buffer.from(
      JSON.stringify({ expiration: iso8601(expiration), conditions }),
      'utf8',
    ).toString('base64');
    const signature = createHmac('sha256', this.signingKey(credentials, shortDate, scope))
      .update(policy)
      .digest('hex');
    return {
      url,
      fields: { ...fields, key: request.key, Policy: policy, 'X-Amz-Signature': signature },
      // The policy's own expiry, which S3 enforces, to the second.
      expiresAt: new Date(Date.parse(iso8601(expiration))),
    };
  }

  /**
   * The day's signing key, kept as a KeyObject: since Node 24, an HMAC keyed with a Buffer
   * converts the key on every call, which costs five times the HMAC itself.
   */
  private signingKey(credentials: AwsCredentialIdentity, shortDate: string, scope: string): KeyObject {
    const cached = this.cachedKey;
    if (cached && cached.scope === scope && cached.secret === credentials.secretAccessKey) return cached.key;
    const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const key = createSecretKey(
      hmac(
        hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), this.options.region), 's3'),
        'aws4_request',
      ),
    );
    this.cachedKey = { scope, secret: credentials.secretAccessKey, key };
    return key;
  }
}

/** ISO 8601 to the second, as the policy's expiration is written: 2026-11-24T10:15:30Z. */
function iso8601(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The same in SigV4's basic format, as X-Amz-Date is written: 20261124T101530Z. */
function basicIso8601(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
