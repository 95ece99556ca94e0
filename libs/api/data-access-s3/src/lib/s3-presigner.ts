import { Inject, Injectable } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { s3Config, type S3Config } from './s3.config';
import { PostPolicySigner, type PostPolicyFields } from './post-policy-signer';

export type PostPolicyRequest = PostPolicyFields;

export interface SignedPostPolicy {
  url: string;
  fields: Record<string, string>;
  expiresAt: Date;
}

/**
 * Presigned POST policies for the configured bucket. The SDK resolves the bucket's URL once;
 * each policy is then signed by PostPolicySigner, which produces what the SDK would.
 */
@Injectable()
export class S3Presigner {
  private signer?: Promise<PostPolicySigner>;

  constructor(
    private readonly client: S3Client,
    @Inject(s3Config.KEY) private readonly config: S3Config,
  ) {}

  async presignPost(request: PostPolicyRequest): Promise<SignedPostPolicy> {
    return (await this.getSigner()).sign(request);
  }

  /** The origin browsers POST files to, for the Content-Security-Policy. */
  async uploadOrigin(): Promise<string> {
    return new URL((await this.getSigner()).url).origin;
  }

  private getSigner(): Promise<PostPolicySigner> {
    this.signer ??= this.createSigner().catch((error: unknown) => {
      this.signer = undefined;
      throw error;
    });
    return this.signer;
  }

  private async createSigner(): Promise<PostPolicySigner> {
    const { config } = this.client;
    const { url } = await createPresignedPost(this.client, {
      Bucket: this.config.bucket,
      Key: 'probe',
      Expires: 1,
    });
    return new PostPolicySigner({
      bucket: this.config.bucket,
      url,
      region: await config.region(),
      credentials: () => config.credentials(),
      now: () => Date.now() + (config.systemClockOffset ?? 0),
    });
  }
}
