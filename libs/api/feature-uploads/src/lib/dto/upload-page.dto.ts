import { ApiProperty, ApiPropertyOptional } from '@dropgate/api/util-http';
import type { DownloadLink, UploadPage } from '@dropgate/shared/api-contract';
import { UploadRecordDto } from './upload-record.dto';

export class UploadPageDto implements UploadPage {
  @ApiProperty({ type: [UploadRecordDto] })
  items!: UploadRecordDto[];

  @ApiPropertyOptional({ description: 'Opaque; pass it back as `cursor`. Absent on the last page.' })
  nextCursor?: string;
}

export class DownloadLinkDto implements DownloadLink {
  @ApiProperty({ description: 'A presigned GET of the object' })
  url!: string;

  @ApiProperty({ example: '2026-11-25T10:01:00.000Z' })
  expiresAt!: string;
}
