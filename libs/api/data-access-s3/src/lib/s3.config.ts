import { registerAs } from '@nestjs/config';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { ToBoolean, validateEnv } from '@dropgate/api/util-config';

export class S3Env {
  @IsNotEmpty({ message: 'is required: the bucket that uploads go to' })
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'must be a bucket name: 3-63 lower-case letters, digits, dots or hyphens',
  })
  S3_BUCKET = '';

  @IsString()
  @Matches(/^[a-z0-9-]+$/, { message: 'must be a region name such as eu-west-1' })
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL such as http://127.0.0.1:7480' },
  )
  S3_ENDPOINT?: string;

  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  S3_FORCE_PATH_STYLE?: boolean;
}

export interface S3Config {
  bucket: string;
  region: string;
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket`); on by default for a custom endpoint such as Ceph or MinIO. */
  forcePathStyle: boolean;
}

export const s3Config = registerAs('s3', (): S3Config => {
  const env = validateEnv(S3Env, process.env);
  return {
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? env.S3_ENDPOINT !== undefined,
  };
});
