export * from './lib/auth-session';
export * from './lib/api-token.interceptor';
export * from './lib/signed-in.guard';
export * from './lib/provide-dropgate-auth';
