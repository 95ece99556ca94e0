import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClamdClient } from './clamd-client';
import { clamavConfig, type ScannerSettings } from './clamav.config';

/** The clamd client, or null when the deployment scans with a scanner of its own (`UPLOAD_SCAN=off`). */
export const SCANNER = Symbol('SCANNER');

/** The scanner (`SCANNER`: a ClamdClient built from CLAMD_URL and its timeouts, or null). */
@Module({
  imports: [ConfigModule.forFeature(clamavConfig)],
  providers: [
    {
      provide: SCANNER,
      inject: [clamavConfig.KEY],
      useFactory: (settings: ScannerSettings): ClamdClient | null => {
        if (settings.scan === 'on') return new ClamdClient(settings.url, settings);
        new Logger('Scanner').warn(
          'UPLOAD_SCAN=off: uploads are not scanned for malware here and become available once verified',
        );
        return null;
      },
    },
  ],
  exports: [SCANNER],
})
export class DataAccessClamavModule {}
