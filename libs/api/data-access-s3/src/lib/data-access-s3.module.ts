import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { s3ClientProvider } from './s3-client.provider';
import { S3Presigner } from './s3-presigner';
import { S3BucketProbe } from './s3-bucket-probe';
import { S3Objects } from './s3-objects';
import { S3Multipart } from './s3-multipart';
import { S3Promotion } from './s3-promotion';
import { s3Config } from './s3.config';

@Module({
  imports: [ConfigModule.forFeature(s3Config)],
  providers: [s3ClientProvider, S3Presigner, S3BucketProbe, S3Objects, S3Multipart, S3Promotion],
  exports: [S3Presigner, S3BucketProbe, S3Objects, S3Multipart, S3Promotion],
})
export class DataAccessS3Module {}
