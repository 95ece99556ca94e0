import { ApiProperty } from '@dropgate/api/util-http';
import type { CreatedMultipartUpload, CreatedPostUpload } from '@dropgate/shared/api-contract';

class PostFormDto {
  @ApiProperty({ example: 'http://127.0.0.1:7480/dropgate-local', description: 'POST the form here' })
  url!: string;

  @ApiProperty({
    description: 'Form fields to send, in this order, before the file part (named `file`)',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  fields!: Record<string, string>;
}

export class CreatedPostUploadDto implements CreatedPostUpload {
  @ApiProperty({ example: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55' })
  id!: string;

  @ApiProperty({ example: 'uploads/6p7rkihg3xpwoa2hxrg34lg6qw/2026/11/25/019ac4e2-…/q3 report.pdf' })
  key!: string;

  @ApiProperty({ enum: ['pending'] })
  status!: 'pending';

  @ApiProperty({ enum: ['post'] })
  method!: 'post';

  @ApiProperty({ example: '2026-11-25T10:20:00.000Z', description: 'The policy is refused from this moment' })
  expiresAt!: string;

  @ApiProperty({ type: PostFormDto })
  post!: PostFormDto;
}

export class CreatedMultipartUploadDto implements CreatedMultipartUpload {
  @ApiProperty({ example: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55' })
  id!: string;

  @ApiProperty({ example: 'uploads/6p7rkihg3xpwoa2hxrg34lg6qw/2026/11/25/019ac4e2-…/survey.zip' })
  key!: string;

  @ApiProperty({ enum: ['pending'] })
  status!: 'pending';

  @ApiProperty({ enum: ['multipart'] })
  method!: 'multipart';

  @ApiProperty({ example: 8388608, description: 'Every part but the last has exactly this many bytes' })
  partSize!: number;

  @ApiProperty({ example: 128 })
  partCount!: number;

  @ApiProperty({
    example: '2026-11-26T10:00:00.000Z',
    description: 'The upload lapses, unfinished, at this moment',
  })
  expiresAt!: string;
}
