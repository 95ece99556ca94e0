export * from './lib/parts';
