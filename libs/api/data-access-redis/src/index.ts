export * from './lib/redis-rate-store';
export * from './lib/redis-rate-counter';
export * from './lib/create-rate-counter';
