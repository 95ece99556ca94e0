import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { ProblemCode, ProblemDetails, ProblemFieldError } from '@dropgate/shared/api-contract';
import { PROBLEM_CONTENT_TYPE } from './problem.exception';

export class ProblemFieldErrorDto implements ProblemFieldError {
  @ApiProperty({ example: 'size', description: 'The offending field; empty for the body as a whole' })
  field!: string;

  @ApiProperty({ example: 'size.too_large', description: 'Stable machine-readable reason' })
  code!: ProblemCode;

  @ApiProperty({ example: 'size must be at most 104857600 bytes (100 MiB)' })
  message!: string;
}

export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ example: 'urn:dropgate:problem:validation' })
  type!: string;

  @ApiProperty({ example: 'Request is not valid' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'size must be at most 104857600 bytes (100 MiB)' })
  detail!: string;

  @ApiProperty({ example: '/api/uploads/presigned-post', required: false })
  instance?: string;

  @ApiProperty({ type: [ProblemFieldErrorDto] })
  errors!: ProblemFieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed JSON, a missing, unknown or invalid field. `errors` lists each with a code.',
  401: 'No valid access token (`auth.missing`, `auth.invalid`, `auth.expired`); `WWW-Authenticate` says so (RFC 6750).',
  403: 'The access token lacks the scope the route needs (`auth.insufficient_scope`); `WWW-Authenticate` names it.',
  404: 'Not found: no such route or upload (`upload.not_found`, also for one that is not yours), or sign-in is not configured (`auth.not_configured`).',
  409: 'Conflict: over the quota (`quota.exceeded`), the object is not in storage yet (`upload.not_in_storage`), or a request with the same `Idempotency-Key` is still running (`idempotency.in_flight`; retry after `Retry-After`).',
  422: 'The `Idempotency-Key` was used for a different request in the last 24 hours (`idempotency.key_reused`).',
  413: 'The JSON body is larger than the API accepts (`body.too_large`).',
  415: 'The body is not `application/json` (`body.unsupported_media_type`).',
  429: 'Rate limit reached (`rate.limited`); `Retry-After` gives the seconds to wait.',
  500: 'Unexpected server error; `X-Request-Id` finds it in the log.',
  503: 'Storage or the identity provider cannot be reached (`storage.unavailable`, `auth.unavailable`), or the server is shutting down.',
};

/** Documents the problem-details responses an operation can return. */
export function ApiProblemResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
      }),
    ),
  );
}
