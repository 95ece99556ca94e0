import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DataAccessS3Module } from '@dropgate/api/data-access-s3';
import { UploadsController } from './uploads.controller';
import { UploadsService } from './uploads.service';
import { uploadsConfig } from './uploads.config';

@Module({
  imports: [ConfigModule.forFeature(uploadsConfig), DataAccessS3Module],
  controllers: [UploadsController],
  providers: [UploadsService],
})
export class UploadsModule {}
