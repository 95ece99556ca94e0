export * from './lib/sign-in.routes';
