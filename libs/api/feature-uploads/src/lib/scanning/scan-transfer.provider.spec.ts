import type { FactoryProvider } from '@nestjs/common';
import type { S3Config, S3Objects } from '@dropgate/api/data-access-s3';
import {
  DirectScanTransfer,
  ScanThread,
  type ClamdClient,
  type ScannerSettings,
} from '@dropgate/api/data-access-clamav';
import { IncompleteBuildError } from '@dropgate/api/util-config';
import { scanTransferProvider } from './scan-transfer.provider';

const s3: S3Config = { bucket: 'uploads', region: 'us-east-1', forcePathStyle: true };
const on: ScannerSettings = {
  scan: 'on',
  url: 'tcp://127.0.0.1:3310',
  connectTimeoutMs: 100,
  idleTimeoutMs: 1000,
};
const scanner = {} as ClamdClient;
const objects = {} as S3Objects;

const build = (
  script: string | undefined,
  clamav: ScannerSettings = on,
  client: ClamdClient | null = scanner,
) => (scanTransferProvider as FactoryProvider).useFactory(objects, client, script, s3, clamav);

describe('scanTransferProvider', () => {
  it('should give no transfer when the deployment does not scan', () => {
    expect(build(__filename, { scan: 'off' }, null)).toBeNull();
  });

  it("should scan in the API's own thread without a thread script", () => {
    expect(build(undefined)).toBeInstanceOf(DirectScanTransfer);
  });

  it('should scan in a thread, started only with the first scan, when its script is there', () => {
    expect(build(__filename)).toBeInstanceOf(ScanThread);
  });

  it('should stop the boot, naming the fix, when the thread script is missing', () => {
    expect(() => build('/nonexistent/scan-thread.js')).toThrow(
      new IncompleteBuildError('/nonexistent/scan-thread.js'),
    );
    expect(() => build('/nonexistent/scan-thread.js')).toThrow(
      "/nonexistent/scan-thread.js is missing beside the API's main.js: build the API again",
    );
  });
});
