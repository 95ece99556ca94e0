export * from './lib/auth.config';
export * from './lib/auth.guard';
export * from './lib/auth.module';
export * from './lib/token-verifier';
