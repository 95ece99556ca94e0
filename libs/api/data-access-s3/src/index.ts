export * from './lib/data-access-s3.module';
export * from './lib/s3-presigner';
export * from './lib/s3-bucket-probe';
export * from './lib/s3.config';
export * from './lib/s3-objects';
export * from './lib/s3-multipart';
export * from './lib/s3-promotion';
export * from './lib/storage-errors';
