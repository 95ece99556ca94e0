export * from './lib/upload.routes';
