import { HttpErrorResponse } from '@angular/common/http';
import { throwError } from 'rxjs';
import type { ProblemCode, ProblemDetails, ProblemFieldError } from '@dropgate/shared/api-contract';

/** A refused or failed call to the webhooks API: the problem's codes, and its message in words. */
export class WebhookApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when the API could not be reached. */
    readonly status: number,
    /** The problem's field errors, for showing each beside its field and branching on its code. */
    readonly errors: readonly ProblemFieldError[] = [],
  ) {
    super(message);
    this.name = 'WebhookApiError';
  }

  has(code: ProblemCode): boolean {
    return this.errors.some((e) => e.code === code);
  }

  /** What the API said about one field (`url`, `eventTypes`), if anything. */
  about(field: string): string | undefined {
    const said = this.errors.filter((e) => e.field === field).map((e) => e.message);
    return said.length ? said.join('; ') : undefined;
  }
}

/** Maps a failed call (problem details, RFC 9457) to a WebhookApiError. */
export function webhookApiError(failure: { status: number; error: unknown }): WebhookApiError {
  if (failure.status === 0) {
    return new WebhookApiError('Dropgate API unreachable — check your connection', 0);
  }
  const problem = asProblem(failure.error);
  const errors = problem?.errors ?? [];
  if (failure.status === 401) {
    return new WebhookApiError('Your session ended — sign in again to continue', 401, errors);
  }
  if (failure.status === 403 && errors.some((e) => e.code === 'auth.insufficient_scope')) {
    return new WebhookApiError('Managing webhooks needs the webhooks:admin scope', 403, errors);
  }
  const message =
    errors.map((e) => e.message).join('; ') || problem?.detail || `The API answered ${failure.status}`;
  return new WebhookApiError(message, failure.status, errors);
}

/** For `catchError`: HTTP failures become WebhookApiError, anything else passes as it is. */
export function asWebhookApiError(failure: unknown) {
  return throwError(() => (failure instanceof HttpErrorResponse ? webhookApiError(failure) : failure));
}

function asProblem(body: unknown): ProblemDetails | undefined {
  return typeof body === 'object' &&
    body !== null &&
    'status' in body &&
    Array.isArray((body as ProblemDetails).errors)
    ? (body as ProblemDetails)
    : undefined;
}
