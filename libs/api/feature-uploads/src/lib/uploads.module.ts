import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DataAccessS3Module, s3Config } from '@dropgate/api/data-access-s3';
import { DataAccessClamavModule, clamavConfig } from '@dropgate/api/data-access-clamav';
import { IdempotencyKeysRepository } from '@dropgate/api/data-access-db';
import { IDEMPOTENCY_STORE, Idempotency } from '@dropgate/api/util-http';
import { UploadsController } from './uploads.controller';
import { UploadTransferController } from './upload-transfer.controller';
import { UploadsService } from './uploads.service';
import { UploadRecordsService } from './upload-records.service';
import { UploadReconciler } from './upload-reconciler';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadCompletionService } from './upload-completion.service';
import { UploadSettlement } from './settlement/upload-settlement.service';
import { UploadPromotion } from './settlement/upload-promotion';
import { ScanWorker } from './scanning/scan-worker';
import { UploadReleaseController } from './scanning/upload-release.controller';
import { UploadReleaseService } from './scanning/upload-release.service';
import { SCAN_THREAD_SCRIPT, scanTransferProvider } from './scanning/scan-transfer.provider';
import { uploadsConfig } from './uploads.config';

/** Uploads: the routes, their records (through the global database module), S3, and the scanner. */
@Module({
  imports: [
    ConfigModule.forFeature(uploadsConfig),
    ConfigModule.forFeature(s3Config),
    ConfigModule.forFeature(clamavConfig),
    DataAccessS3Module,
    DataAccessClamavModule,
  ],
  controllers: [UploadsController, UploadTransferController, UploadReleaseController],
  providers: [
    UploadsService,
    UploadCompletionService,
    MultipartUploadsService,
    UploadRecordsService,
    UploadReconciler,
    UploadSettlement,
    UploadPromotion,
    ScanWorker,
    scanTransferProvider,
    UploadReleaseService,
    { provide: IDEMPOTENCY_STORE, useExisting: IdempotencyKeysRepository },
    Idempotency,
  ],
})
export class UploadsModule {
  /**
   * `scanThread`: the built script that scans in a thread of its own (the app's `scan-thread.js`);
   * without it, scans run in the API's thread.
   */
  static register(options: { scanThread?: string } = {}): DynamicModule {
    return {
      module: UploadsModule,
      providers: options.scanThread ? [{ provide: SCAN_THREAD_SCRIPT, useValue: options.scanThread }] : [],
    };
  }
}
