import { HttpException } from '@nestjs/common';
import type { ProblemDetails, ProblemFieldError } from '@dropgate/shared/api-contract';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Builds a problem-details body; `type` is a URN per kind of problem, stable for clients to match. */
export function problem(
  status: number,
  kind: string,
  title: string,
  detail: string,
  errors: ProblemFieldError[] = [],
): ProblemDetails {
  return { type: `urn:dropgate:problem:${kind}`, title, status, detail, errors };
}

/**
 * An error that the exception filter sends as it is, as `application/problem+json`, with its
 * headers. Its message is the problem's detail, so that a log line (a background worker's, which
 * sends nothing) says what went wrong rather than "Problem Exception".
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
    this.message = problem.detail;
  }

  static validation(errors: ProblemFieldError[]): ProblemException {
    const detail = errors.map((e) => e.message).join('; ');
    return new ProblemException(problem(400, 'validation', 'Request is not valid', detail, errors));
  }
}
