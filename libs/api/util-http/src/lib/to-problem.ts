import { HttpException, HttpStatus } from '@nestjs/common';
import type { ProblemDetails } from '@dropgate/shared/api-contract';
import { ProblemException, problem } from './problem.exception';
import { problemDetailsFor } from './problems';
import { pathOf } from './url-path';

/** Fastify's own errors (body parsing, limits) carry a status and an `FST_…` code. */
interface FastifyStyleError {
  statusCode: number;
  code?: string;
  message: string;
}

/** `field.invalid` with the status (and title) Nest or Fastify chose, not the table's 400. */
const fieldInvalid = (status: number, title: string, detail: string): ProblemDetails => ({
  ...problemDetailsFor('field.invalid', detail),
  status,
  title,
});

/** Maps any thrown value to problem details; only truly unexpected errors become a 500. */
export function toProblem(exception: unknown, method = '', url = ''): ProblemDetails {
  if (exception instanceof ProblemException) return exception.problem;
  if (exception instanceof HttpException) return fromHttpException(exception, method, url);
  if (isFastifyError(exception) && exception.statusCode < 500) return fromFastifyError(exception);
  return problem(
    500,
    'server-error',
    'Internal server error',
    'The server failed unexpectedly; the request id in X-Request-Id finds it in the log',
  );
}

function fromHttpException(exception: HttpException, method: string, url: string): ProblemDetails {
  const status = exception.getStatus();
  switch (status) {
    case HttpStatus.NOT_FOUND:
      return problemDetailsFor('route.not_found', `No route for ${method} ${pathOf(url)}`.trim());
    case HttpStatus.METHOD_NOT_ALLOWED:
      return problemDetailsFor('method.not_allowed', `${method} is not allowed here`);
    case HttpStatus.TOO_MANY_REQUESTS:
      return problemDetailsFor(
        'rate.limited',
        'Rate limit reached; retry after the number of seconds in Retry-After',
      );
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return problemDetailsFor('body.too_large', exception.message);
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return problemDetailsFor('body.unsupported_media_type', 'Send the body as application/json');
    case HttpStatus.BAD_REQUEST:
      // Nest's own JSON body parser reports malformed JSON as a plain 400.
      if (/JSON/i.test(exception.message)) {
        return problemDetailsFor('body.invalid_json', exception.message);
      }
      return problemDetailsFor('field.invalid', exception.message);
    default:
      return status >= 500
        ? problem(status, 'server-error', exception.message, 'The server could not complete the request')
        : fieldInvalid(status, exception.message, exception.message);
  }
}

function fromFastifyError(error: FastifyStyleError): ProblemDetails {
  const { statusCode, code = '' } = error;
  if (statusCode === 413) {
    return problemDetailsFor('body.too_large', 'The JSON body is larger than the API accepts');
  }
  if (statusCode === 415) {
    return problemDetailsFor('body.unsupported_media_type', 'Send the body as application/json');
  }
  if (code.startsWith('FST_ERR_CTP') || code === '' || /JSON/i.test(error.message)) {
    return problemDetailsFor('body.invalid_json', `The body is not valid JSON: ${error.message}`);
  }
  return fieldInvalid(statusCode, 'Bad request', error.message);
}

function isFastifyError(value: unknown): value is FastifyStyleError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FastifyStyleError).statusCode === 'number' &&
    typeof (value as FastifyStyleError).message === 'string'
  );
}
