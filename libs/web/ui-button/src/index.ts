export * from './lib/button.component';
