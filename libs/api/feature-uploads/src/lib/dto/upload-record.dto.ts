import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  RejectionReason,
  UploadMethod,
  UploadRecord,
  UploadStatus,
} from '@dropgate/shared/api-contract';
import { UPLOAD_STATUSES } from '../upload-lifecycle';

class OwnerDto {
  @ApiProperty({ example: 'https://login.example.com/realm' })
  issuer!: string;

  @ApiProperty({ example: 'bob' })
  subject!: string;

  @ApiPropertyOptional({ example: 'Bob Example' })
  name?: string;
}

export class UploadRecordDto implements UploadRecord {
  @ApiProperty({ example: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55' })
  id!: string;

  @ApiProperty()
  key!: string;

  @ApiProperty({ example: 'q3 report.pdf', description: 'The sanitised name' })
  fileName!: string;

  @ApiProperty({ example: 'application/pdf' })
  contentType!: string;

  @ApiProperty({ example: 12345 })
  size!: number;

  @ApiPropertyOptional({ example: 'XUFAKrxLKna5cZ2REBfFkg==' })
  md5?: string;

  @ApiProperty({ enum: [...UPLOAD_STATUSES] })
  status!: UploadStatus;

  @ApiPropertyOptional({ enum: ['size_mismatch', 'content_type_mismatch', 'md5_mismatch'] })
  reason?: RejectionReason;

  @ApiProperty({ enum: ['post', 'multipart'] })
  method!: UploadMethod;

  @ApiPropertyOptional({ example: 8388608, description: 'Multipart only' })
  partSize?: number;

  @ApiPropertyOptional({ example: 128, description: 'Multipart only' })
  partCount?: number;

  @ApiProperty({ type: OwnerDto })
  owner!: OwnerDto;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  expiresAt!: string;

  @ApiPropertyOptional()
  completedAt?: string;

  @ApiPropertyOptional()
  deletedAt?: string;
}
