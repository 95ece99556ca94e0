export * from './lib/dropzone.component';
