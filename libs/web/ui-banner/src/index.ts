export * from './lib/banner.component';
