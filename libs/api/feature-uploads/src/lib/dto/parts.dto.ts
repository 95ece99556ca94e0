import { ApiProperty } from '@dropgate/api/util-http';
import type { SignedPart, SignedParts, StoredPart, StoredParts } from '@dropgate/shared/api-contract';

class SignedPartDto implements SignedPart {
  @ApiProperty({ example: 1 })
  partNumber!: number;

  @ApiProperty({ description: 'PUT exactly the part’s bytes here' })
  url!: string;

  @ApiProperty({
    example: { 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==' },
    description: 'Send these headers as they are; the signature covers them and Content-Length',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  headers!: Record<string, string>;
}

export class SignedPartsDto implements SignedParts {
  @ApiProperty({ type: [SignedPartDto] })
  parts!: SignedPartDto[];

  @ApiProperty({ example: '2026-11-25T10:05:00.000Z', description: 'The URLs are refused from this moment' })
  expiresAt!: string;
}

class StoredPartDto implements StoredPart {
  @ApiProperty({ example: 1 })
  partNumber!: number;

  @ApiProperty({ example: 8388608 })
  size!: number;

  @ApiProperty({ example: '5d41402abc4b2a76b9719d911017c592', description: 'Hex MD5 of the part' })
  etag!: string;
}

export class StoredPartsDto implements StoredParts {
  @ApiProperty({ type: [StoredPartDto] })
  parts!: StoredPartDto[];
}
