import { existsSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { S3Objects, s3Config, type S3Config } from '@dropgate/api/data-access-s3';
import { IncompleteBuildError } from '@dropgate/api/util-config';
import {
  DirectScanTransfer,
  SCANNER,
  ScanThread,
  clamavConfig,
  type ClamdClient,
  type ScanTransfer,
  type ScannerSettings,
} from '@dropgate/api/data-access-clamav';

/** How scanned bytes reach clamd (`ScanTransfer`), or null when the deployment does not scan. */
export const SCAN_TRANSFER = Symbol('SCAN_TRANSFER');

/** The built script that runs the scan thread; without it, scans run in the API's own thread. */
export const SCAN_THREAD_SCRIPT = Symbol('SCAN_THREAD_SCRIPT');

export const scanTransferProvider: Provider = {
  provide: SCAN_TRANSFER,
  inject: [S3Objects, SCANNER, { token: SCAN_THREAD_SCRIPT, optional: true }, s3Config.KEY, clamavConfig.KEY],
  useFactory: (
    objects: S3Objects,
    scanner: ClamdClient | null,
    script: string | undefined,
    s3: S3Config,
    clamav: ScannerSettings,
  ): ScanTransfer | null => {
    if (!scanner || clamav.scan === 'off') return null;
    if (script) {
      // Checked at boot: a missing thread would otherwise fail every scan, retried for ever.
      if (!existsSync(script)) throw new IncompleteBuildError(script);
      return ScanThread.of(script, { s3, clamav });
    }
    return new DirectScanTransfer(
      (job, signal) => objects.read(job.key, job.etag, signal, job.size),
      scanner,
    );
  },
};
