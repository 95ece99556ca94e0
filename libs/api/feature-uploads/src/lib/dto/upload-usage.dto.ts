import { ApiProperty, ApiPropertyOptional } from '@dropgate/api/util-http';
import type { UploadUsage } from '@dropgate/shared/api-contract';

export class UploadUsageDto implements UploadUsage {
  @ApiProperty({ description: 'Bytes of your pending and available uploads', example: 52428800 })
  usedBytes!: number;

  @ApiPropertyOptional({ description: 'Your limit in bytes; absent when there is none', example: 1073741824 })
  quotaBytes?: number;
}
