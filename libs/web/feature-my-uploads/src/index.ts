export * from './lib/my-uploads.routes';
