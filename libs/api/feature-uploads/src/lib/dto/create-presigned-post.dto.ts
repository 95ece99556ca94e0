import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';
import type { PresignedPostRequest } from '@dropgate/shared/api-contract';
import { code } from '@dropgate/api/util-http';

export const MAX_FILE_NAME_LENGTH = 1024;

// class-validator runs a property's decorators from the bottom up and stops at the first
// failure, so the most basic check (present, then the right kind) sits lowest.
export class CreatePresignedPostDto implements PresignedPostRequest {
  @ApiProperty({
    example: 'q3 report.pdf',
    maxLength: MAX_FILE_NAME_LENGTH,
    description: 'The file name; only its sanitised form is used, as the last part of the object key',
  })
  @MaxLength(MAX_FILE_NAME_LENGTH, {
    ...code('fileName.too_long'),
    message: `fileName must be at most ${MAX_FILE_NAME_LENGTH} characters`,
  })
  @IsNotEmpty({ ...code('fileName.required'), message: 'fileName must not be empty' })
  @IsString({ ...code('fileName.not_string'), message: 'fileName must be a string' })
  @IsDefined({ ...code('fileName.required'), message: 'fileName is required' })
  fileName!: string;

  @ApiProperty({
    example: 'application/pdf',
    description: 'MIME type; must be allowed (see GET /api/uploads/config) and agree with the extension',
  })
  @IsNotEmpty({ ...code('contentType.required'), message: 'contentType must not be empty' })
  @IsString({ ...code('contentType.not_string'), message: 'contentType must be a string' })
  @IsDefined({ ...code('contentType.required'), message: 'contentType is required' })
  contentType!: string;

  @ApiProperty({ example: 12345, minimum: 1, description: 'Exact size of the file in bytes' })
  @Min(1, { ...code('size.too_small'), message: 'size must be at least 1 byte' })
  @IsInt({ ...code('size.not_integer'), message: 'size must be a whole number of bytes, as a JSON number' })
  @IsDefined({ ...code('size.required'), message: 'size is required' })
  size!: number;
}
