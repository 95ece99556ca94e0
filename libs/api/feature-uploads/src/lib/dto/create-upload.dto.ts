import { ApiPropertyOptional, checkFields, rule } from '@dropgate/api/util-http';
import { IsIn, IsOptional, Matches, isIn, isString, matches } from 'class-validator';
import type { CreateUploadRequest, ProblemFieldError, UploadMethod } from '@dropgate/shared/api-contract';
import { CHECKS, CreatePresignedPostDto } from './create-presigned-post.dto';

/** Base64 of 16 bytes, as `Content-MD5` is written. */
export const MD5 = /^[A-Za-z0-9+/]{21}[AQgw]==$/;
const MD5_RULE = rule(
  'md5.invalid',
  'md5 must be the base64 MD5 of the file (24 characters, as in Content-MD5)',
);
const METHODS: UploadMethod[] = ['post', 'multipart'];
const METHOD_RULE = rule('method.invalid', 'method must be post or multipart');

/** `POST /api/uploads`: the presigned POST's fields, and an optional MD5 that storage and completion check. */
export class CreateUploadDto extends CreatePresignedPostDto implements CreateUploadRequest {
  @ApiPropertyOptional({
    example: 'XUFAKrxLKna5cZ2REBfFkg==',
    description: 'Base64 MD5 of the file, as in Content-MD5; pinned in the policy and checked at completion',
  })
  @Matches(MD5, MD5_RULE)
  @IsOptional()
  md5?: string;

  @ApiPropertyOptional({
    enum: METHODS,
    description:
      'multipart to send in parts whatever the size; post for one POST (at most 5 GiB). Without it, files above `multipartThreshold` (GET /api/uploads/config) go in parts',
  })
  @IsIn(METHODS, METHOD_RULE)
  @IsOptional()
  method?: UploadMethod;

  static override check(body: Record<string, unknown>): CreateUploadDto | ProblemFieldError[] {
    return checkFields(CreateUploadDto, body, {
      ...CHECKS,
      md5: [[(value) => value == null || (isString(value) && matches(value, MD5)), MD5_RULE]],
      method: [[(value) => value == null || isIn(value, METHODS), METHOD_RULE]],
    });
  }
}
