export * from './lib/registry';
export * from './lib/http-metrics';
export * from './lib/upload-metrics';
export * from './lib/scan-metrics';
export * from './lib/webhook-metrics';
export * from './lib/pool-metrics';
export * from './lib/rate-limit-metrics';
