export * from './lib/uploads.module';
export * from './lib/uploads.config';
