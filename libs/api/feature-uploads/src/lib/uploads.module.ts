import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DataAccessS3Module } from '@dropgate/api/data-access-s3';
import { UploadsController } from './uploads.controller';
import { UploadTransferController } from './upload-transfer.controller';
import { UploadsService } from './uploads.service';
import { UploadRecordsService } from './upload-records.service';
import { UploadReconciler } from './upload-reconciler';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadCompletionService } from './upload-completion.service';
import { UploadSettlement } from './settlement/upload-settlement.service';
import { uploadsConfig } from './uploads.config';

/** Uploads: the routes, their records (through the global database module) and S3. */
@Module({
  imports: [ConfigModule.forFeature(uploadsConfig), DataAccessS3Module],
  controllers: [UploadsController, UploadTransferController],
  providers: [
    UploadsService,
    UploadCompletionService,
    MultipartUploadsService,
    UploadRecordsService,
    UploadReconciler,
    UploadSettlement,
  ],
})
export class UploadsModule {}
