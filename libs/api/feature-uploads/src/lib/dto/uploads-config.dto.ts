import { ApiProperty } from '@dropgate/api/util-http';
import type { UploadsConfig } from '@dropgate/shared/api-contract';

export class UploadsConfigDto implements UploadsConfig {
  @ApiProperty({ example: 104857600, description: 'Largest file accepted, in bytes' })
  maxFileSize!: number;

  @ApiProperty({ example: 67108864, description: 'Files above this many bytes are sent in parts' })
  multipartThreshold!: number;

  @ApiProperty({ example: ['image/*', 'application/pdf'], description: '`type/*` allows every subtype' })
  allowedTypes!: string[];

  @ApiProperty({ example: 300, description: 'How long a presigned POST stays valid' })
  expiresInSeconds!: number;
}
