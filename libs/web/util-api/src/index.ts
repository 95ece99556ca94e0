export * from './lib/api-base-url.token';
export * from './lib/is-api-url';
