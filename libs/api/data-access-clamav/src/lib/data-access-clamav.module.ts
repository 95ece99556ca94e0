import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClamdClient } from './clamd-client';
import { clamavConfig, type ClamavSettings } from './clamav.config';

/** The clamd client, built from CLAMD_URL and its timeouts. */
@Module({
  imports: [ConfigModule.forFeature(clamavConfig)],
  providers: [
    {
      provide: ClamdClient,
      inject: [clamavConfig.KEY],
      useFactory: (settings: ClamavSettings) => new ClamdClient(settings.url, settings),
    },
  ],
  exports: [ClamdClient],
})
export class DataAccessClamavModule {}
