import { Inject, Injectable } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { s3Config, type S3Config } from './s3.config';

export interface PostPolicyRequest {
  key: string;
  contentType: string;
  /** Exact size in bytes: the policy's content-length-range is [size, size]. */
  size: number;
  expiresInSeconds: number;
}

export interface SignedPostPolicy {
  url: string;
  fields: Record<string, string>;
  expiresAt: Date;
}

/** Presigned POST policies for the configured bucket, signed by the AWS SDK. */
@Injectable()
export class S3Presigner {
  constructor(
    private readonly client: S3Client,
    @Inject(s3Config.KEY) private readonly config: S3Config,
  ) {}

  async presignPost(request: PostPolicyRequest): Promise<SignedPostPolicy> {
    // The SDK stamps the policy's expiry to the second from its own clock, at or after this one;
    // rounding this clock down reports an expiry no later than the one S3 enforces.
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + request.expiresInSeconds * 1000);
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.config.bucket,
      Key: request.key,
      Fields: { 'Content-Type': request.contentType, success_action_status: '201' },
      Conditions: [['content-length-range', request.size, request.size]],
      Expires: request.expiresInSeconds,
    });
    return { url, fields, expiresAt };
  }

  /** The origin browsers POST files to, for the Content-Security-Policy. */
  async uploadOrigin(): Promise<string> {
    const { url } = await this.presignPost({
      key: 'probe',
      contentType: 'text/plain',
      size: 1,
      expiresInSeconds: 1,
    });
    return new URL(url).origin;
  }
}
