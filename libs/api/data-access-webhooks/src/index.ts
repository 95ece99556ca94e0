export * from './lib/data-access-webhooks.module';
export * from './lib/webhooks.config';
export { isPublicUnicast, parseAllowedNetworks, type AllowedNetwork } from './lib/allowed-networks';
export * from './lib/webhook-target';
export * from './lib/webhook-targets';
export * from './lib/webhook-sender';
export type { SendFailure, SendResult } from './lib/send-result';
export * from './lib/webhook-secrets';
export * from './lib/secret-box';
