export * from './lib/config-error';
export * from './lib/validate-env';
export * from './lib/env-transforms';
