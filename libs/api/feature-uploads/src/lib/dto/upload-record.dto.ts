import { ApiProperty, ApiPropertyOptional } from '@dropgate/api/util-http';
import {
  HELD_REASONS,
  REJECTION_REASONS,
  SCAN_RESULTS,
  UPLOAD_STATUSES,
  type HeldReason,
  type RejectionReason,
  type ScanResult,
  type UploadMethod,
  type UploadRecord,
  type UploadRelease,
  type UploadStatus,
} from '@dropgate/shared/api-contract';

class OwnerDto {
  @ApiProperty({ example: 'https://login.example.com/realm' })
  issuer!: string;

  @ApiProperty({ example: 'bob' })
  subject!: string;

  @ApiPropertyOptional({ example: 'Bob Example' })
  name?: string;
}

class ReleaseDto implements UploadRelease {
  @ApiProperty({ example: 'alice (Alice Admin)' })
  by!: string;

  @ApiProperty()
  at!: string;

  @ApiProperty({ example: 'Checked offline' })
  reason!: string;
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

  @ApiPropertyOptional({
    enum: [...REJECTION_REASONS, ...HELD_REASONS],
    description: 'Why it was rejected (or expired with an object not as declared), or why it is held',
  })
  reason?: RejectionReason | HeldReason;

  @ApiPropertyOptional({
    example: 'Eicar-Test-Signature',
    description: 'Infected only: what the scanner found',
  })
  signature?: string;

  @ApiPropertyOptional({ enum: [...SCAN_RESULTS], description: 'How an available upload was scanned' })
  scan?: ScanResult;

  @ApiPropertyOptional({ type: () => ReleaseDto, description: 'Who released it from held, when, and why' })
  release?: ReleaseDto;

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
