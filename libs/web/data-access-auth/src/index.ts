export * from './lib/auth-session';
export * from './lib/api-token.interceptor';
export * from './lib/signed-in.guard';
export * from './lib/provide-dropgate-auth';
export * from './lib/principal';
export * from './lib/sign-out-tasks';
