export * from './lib/job-loop';
export * from './lib/backoff';
export * from './lib/coalescer';
export * from './lib/turns';
export * from './lib/heartbeat';
