import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DataAccessS3Module } from '@dropgate/api/data-access-s3';
import { DataAccessClamavModule } from '@dropgate/api/data-access-clamav';
import { IdempotencyKeysRepository } from '@dropgate/api/data-access-db';
import { IDEMPOTENCY_STORE } from '@dropgate/api/util-http';
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
import { uploadsConfig } from './uploads.config';

/** Uploads: the routes, their records (through the global database module), S3, and the scanner. */
@Module({
  imports: [ConfigModule.forFeature(uploadsConfig), DataAccessS3Module, DataAccessClamavModule],
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
    UploadReleaseService,
    { provide: IDEMPOTENCY_STORE, useExisting: IdempotencyKeysRepository },
  ],
})
export class UploadsModule {}
