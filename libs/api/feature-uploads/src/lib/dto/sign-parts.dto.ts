import { ApiProperty, code } from '@dropgate/api/util-http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { PartToSign, SignPartsRequest } from '@dropgate/shared/api-contract';
import { MD5 } from './create-upload.dto';

/** The most parts one call signs. */
export const MAX_PARTS_PER_CALL = 100;

export class PartToSignDto implements PartToSign {
  @ApiProperty({ example: 1, minimum: 1, description: 'From 1 to the upload’s partCount' })
  @IsInt({ message: 'partNumber must be a whole number', ...code('partNumber.invalid') })
  @IsDefined({ message: 'partNumber is required', ...code('partNumber.invalid') })
  partNumber!: number;

  @ApiProperty({
    example: 'XUFAKrxLKna5cZ2REBfFkg==',
    description: 'Base64 MD5 of the part, as in Content-MD5',
  })
  @Matches(MD5, { message: 'md5 must be the base64 MD5 of the part (24 characters)', ...code('md5.invalid') })
  @IsDefined({ message: 'md5 is required', ...code('md5.invalid') })
  md5!: string;
}

export class SignPartsDto implements SignPartsRequest {
  @ApiProperty({ type: [PartToSignDto], minItems: 1, maxItems: MAX_PARTS_PER_CALL })
  @ValidateNested({ each: true, ...code('parts.invalid') })
  @Type(() => PartToSignDto)
  @ArrayMaxSize(MAX_PARTS_PER_CALL, {
    message: `parts may list at most ${MAX_PARTS_PER_CALL} parts a call`,
    ...code('parts.invalid'),
  })
  @ArrayMinSize(1, { message: 'parts must list at least one part', ...code('parts.invalid') })
  @IsArray({ message: 'parts must be an array of { partNumber, md5 }', ...code('parts.invalid') })
  @IsDefined({ message: 'parts is required', ...code('parts.invalid') })
  parts!: PartToSignDto[];
}
