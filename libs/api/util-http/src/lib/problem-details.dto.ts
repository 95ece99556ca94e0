import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from './openapi/openapi-decorators';
import type { ProblemCode, ProblemDetails, ProblemFieldError } from '@dropgate/shared/api-contract';
import { PROBLEM_CONTENT_TYPE } from './problem.exception';
import { codesWithStatus } from './problems';

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
  400: 'Invalid request: malformed JSON, or a missing, unknown or invalid field; `errors` lists each field with its own code (such as `size.too_large`).',
  401: 'No valid access token; `WWW-Authenticate` says so (RFC 6750).',
  403: 'The access token lacks the scope the route needs; `WWW-Authenticate` names it.',
  404: 'Not found: no such route or resource (also one that is not yours), or a feature that is not configured.',
  405: 'The route does not take this method.',
  409: "Conflict with the resource's state, the quota, or a request with the same `Idempotency-Key` still running (retry after `Retry-After`).",
  413: 'The JSON body is larger than the API accepts.',
  415: 'The body is not `application/json`.',
  422: 'The `Idempotency-Key` was used for a different request in the last 24 hours.',
  429: 'Rate limit reached; `Retry-After` gives the seconds to wait.',
  500: 'Unexpected server error, or a storage setting to fix; `X-Request-Id` finds it in the log.',
  503: 'A service the API depends on cannot serve right now, or the server is shutting down; retry after `Retry-After`.',
};

/** A status's description, with the codes the problems table answers with it. */
function describe(status: number): string {
  const codes = codesWithStatus(status);
  const listed = codes.length ? ` Codes: ${codes.map((code) => `\`${code}\``).join(', ')}.` : '';
  return `${DESCRIPTIONS[status] ?? 'Error'}${listed}`;
}

/** Documents the problem-details responses an operation can return. */
export function ApiProblemResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: describe(status),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
      }),
    ),
  );
}
