export * from './lib/allowed-types';
