import { ApiProperty, checkFields, rule, type FieldChecks } from '@dropgate/api/util-http';
import {
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsString,
  MaxLength,
  Min,
  isDefined,
  isInt,
  isNotEmpty,
  isString,
  maxLength,
  min,
} from 'class-validator';
import type { PresignedPostRequest, ProblemFieldError } from '@dropgate/shared/api-contract';

export const MAX_FILE_NAME_LENGTH = 1024;

const FILE_NAME = {
  required: rule('fileName.required', 'fileName is required'),
  notString: rule('fileName.not_string', 'fileName must be a string'),
  empty: rule('fileName.required', 'fileName must not be empty'),
  tooLong: rule('fileName.too_long', `fileName must be at most ${MAX_FILE_NAME_LENGTH} characters`),
};
const CONTENT_TYPE = {
  required: rule('contentType.required', 'contentType is required'),
  notString: rule('contentType.not_string', 'contentType must be a string'),
  empty: rule('contentType.required', 'contentType must not be empty'),
};
const SIZE = {
  required: rule('size.required', 'size is required'),
  notInteger: rule('size.not_integer', 'size must be a whole number of bytes, as a JSON number'),
  tooSmall: rule('size.too_small', 'size must be at least 1 byte'),
};

/** The decorators below, as functions, in the order class-validator runs them. */
export const CHECKS: Record<keyof PresignedPostRequest, FieldChecks> = {
  fileName: [
    [isDefined, FILE_NAME.required],
    [isString, FILE_NAME.notString],
    [isNotEmpty, FILE_NAME.empty],
    [(v) => maxLength(v, MAX_FILE_NAME_LENGTH), FILE_NAME.tooLong],
  ],
  contentType: [
    [isDefined, CONTENT_TYPE.required],
    [isString, CONTENT_TYPE.notString],
    [isNotEmpty, CONTENT_TYPE.empty],
  ],
  size: [
    [isDefined, SIZE.required],
    [isInt, SIZE.notInteger],
    [(v) => min(v, 1), SIZE.tooSmall],
  ],
};

// class-validator runs a property's decorators from the bottom up and stops at the first
// failure, so the most basic check (present, then the right kind) sits lowest.
export class CreatePresignedPostDto implements PresignedPostRequest {
  @ApiProperty({
    example: 'q3 report.pdf',
    maxLength: MAX_FILE_NAME_LENGTH,
    description: 'The file name; only its sanitised form is used, as the last part of the object key',
  })
  @MaxLength(MAX_FILE_NAME_LENGTH, FILE_NAME.tooLong)
  @IsNotEmpty(FILE_NAME.empty)
  @IsString(FILE_NAME.notString)
  @IsDefined(FILE_NAME.required)
  fileName!: string;

  @ApiProperty({
    example: 'application/pdf',
    description: 'MIME type; must be allowed (see GET /api/uploads/config) and agree with the extension',
  })
  @IsNotEmpty(CONTENT_TYPE.empty)
  @IsString(CONTENT_TYPE.notString)
  @IsDefined(CONTENT_TYPE.required)
  contentType!: string;

  @ApiProperty({ example: 12345, minimum: 1, description: 'Exact size of the file in bytes' })
  @Min(1, SIZE.tooSmall)
  @IsInt(SIZE.notInteger)
  @IsDefined(SIZE.required)
  size!: number;

  /** The decorators' outcome without class-transformer and class-validator: this is the hot route. */
  static check(body: Record<string, unknown>): CreatePresignedPostDto | ProblemFieldError[] {
    return checkFields(CreatePresignedPostDto, body, CHECKS);
  }
}
