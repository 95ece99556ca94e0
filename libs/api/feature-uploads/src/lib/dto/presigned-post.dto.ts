import { ApiProperty } from '@dropgate/api/util-http';
import type { PresignedPost } from '@dropgate/shared/api-contract';

export class PresignedPostDto implements PresignedPost {
  @ApiProperty({ example: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55', description: 'The upload record' })
  id!: string;

  @ApiProperty({ example: 'http://127.0.0.1:7480/dropgate-local', description: 'POST the form here' })
  url!: string;

  @ApiProperty({
    description: 'Form fields to send, in this order, before the file part (named `file`)',
    example: {
      'Content-Type': 'application/pdf',
      success_action_status: '201',
      bucket: 'dropgate-local',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIA…/20261124/us-east-1/s3/aws4_request',
      'X-Amz-Date': '20261124T101500Z',
      key: 'uploads/2026/11/24/0b6c…/q3 report.pdf',
      Policy: 'eyJleHBpcmF0aW9uIjoi…',
      'X-Amz-Signature': '6f1e…',
    },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  fields!: Record<string, string>;

  @ApiProperty({ example: 'uploads/2026/11/24/0b6c2f9e-5d7a-4f43-9a51-3c1d2e8f7a10/q3 report.pdf' })
  key!: string;

  @ApiProperty({ example: '2026-11-24T10:20:00.000Z', description: 'The policy is refused from this moment' })
  expiresAt!: string;
}
