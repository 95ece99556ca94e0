export * from './lib/uploads';
export * from './lib/problem';
export * from './lib/auth';
export * from './lib/upload-record';
export * from './lib/multipart';
export * from './lib/webhooks';
