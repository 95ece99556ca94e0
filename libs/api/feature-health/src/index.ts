export * from './lib/health.module';
export * from './lib/health.config';
