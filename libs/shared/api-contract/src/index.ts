export * from './lib/uploads';
export * from './lib/problem';
