export * from './lib/data-access-clamav.module';
export * from './lib/clamav.config';
export * from './lib/clamd-client';
export * from './lib/scan-verdict';
export * from './lib/scanner-unavailable.error';
export * from './lib/scan-transfer';
export * from './lib/scan-thread';
export type { ScanThreadSettings } from './lib/scan-thread.protocol';
