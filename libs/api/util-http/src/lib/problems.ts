import type { ProblemCode, ProblemDetails, ProblemFieldError } from '@dropgate/shared/api-contract';
import { ProblemException, problem } from './problem.exception';

interface ProblemKind {
  status: number;
  title: string;
  /** The end of the problem's type URN, where it is not the code with `.` and `_` as `-`. */
  kind?: string;
}

/**
 * What readiness answers when the instance should get no traffic: while it drains (the code
 * `server.draining`), and while a dependency it needs is down (one error per dependency, each
 * with that dependency's own code).
 */
export const NOT_READY = {
  status: 503,
  title: 'Not ready',
  kind: 'not-ready',
} as const satisfies ProblemKind;

/**
 * Every problem the API answers with on its own account, by its code: status and title. A
 * field's validation codes are not listed: they travel together in one 400 `validation` problem.
 * The builders below and the OpenAPI responses (ApiProblemResponses) read this table.
 */
export const PROBLEMS = {
  'body.invalid_json': { status: 400, title: 'Malformed JSON' },
  'field.invalid': { status: 400, title: 'Bad request' },
  'auth.missing': { status: 401, title: 'Authentication required' },
  'auth.invalid': { status: 401, title: 'Invalid access token' },
  'auth.expired': { status: 401, title: 'Expired access token' },
  'auth.insufficient_scope': { status: 403, title: 'Insufficient scope' },
  'route.not_found': { status: 404, title: 'Not found' },
  'auth.not_configured': { status: 404, title: 'Sign-in is not configured' },
  'upload.not_found': { status: 404, title: 'Upload not found' },
  'webhook.not_found': { status: 404, title: 'Endpoint not found' },
  'webhook.delivery_not_found': { status: 404, title: 'Delivery not found', kind: 'delivery-not-found' },
  'method.not_allowed': { status: 405, title: 'Method not allowed' },
  'quota.exceeded': { status: 409, title: 'Quota exceeded' },
  'upload.not_in_storage': { status: 409, title: 'Not in storage yet' },
  'upload.not_available': { status: 409, title: 'Upload not available' },
  'upload.not_multipart': { status: 409, title: 'Not a multipart upload' },
  'upload.not_pending': { status: 409, title: 'Upload not pending' },
  'upload.parts_incomplete': { status: 409, title: 'Parts incomplete' },
  'upload.settling': { status: 409, title: 'Upload settling' },
  'upload.not_held': { status: 409, title: 'Upload not held' },
  'idempotency.in_flight': { status: 409, title: 'Request in flight' },
  'webhook.rotation_in_progress': { status: 409, title: 'Rotation in progress' },
  'body.too_large': { status: 413, title: 'Request body too large' },
  'body.unsupported_media_type': { status: 415, title: 'Unsupported media type' },
  'idempotency.key_reused': { status: 422, title: 'Idempotency key reused' },
  'rate.limited': { status: 429, title: 'Too many requests' },
  'storage.misconfigured': { status: 500, title: 'Storage misconfigured' },
  'storage.unavailable': { status: 503, title: 'Storage unavailable' },
  'database.unavailable': { status: 503, title: 'Database unavailable' },
  'auth.unavailable': { status: 503, title: 'Identity provider unreachable' },
  'webhooks.not_configured': { status: 503, title: 'Webhooks not configured' },
  'server.draining': NOT_READY,
} as const satisfies Partial<Record<ProblemCode, ProblemKind>>;

export type TabledProblemCode = keyof typeof PROBLEMS;

export interface ProblemOptions {
  /** The field the single error names; '' (the request as a whole) by default. */
  field?: string;
  /** The errors to list instead of one for `field` that repeats the detail. */
  errors?: ProblemFieldError[];
}

/** The problem-details body of `code`, from the table, with `detail`. */
export function problemDetailsFor(
  code: TabledProblemCode,
  detail: string,
  { field = '', errors }: ProblemOptions = {},
): ProblemDetails {
  const entry: ProblemKind = PROBLEMS[code];
  const kind = entry.kind ?? code.replace(/[._]/g, '-');
  return problem(entry.status, kind, entry.title, detail, errors ?? [{ field, code, message: detail }]);
}

/** The exception that answers `code`, from the table, with `detail` and any headers. */
export function problemFor(
  code: TabledProblemCode,
  detail: string,
  options: ProblemOptions & { headers?: Record<string, string> } = {},
): ProblemException {
  return new ProblemException(problemDetailsFor(code, detail, options), options.headers);
}

/**
 * 503 for something the API depends on that cannot serve right now: the request may be fine,
 * so the client is told to try again after `Retry-After`.
 */
export function unavailable(
  code: 'storage.unavailable' | 'database.unavailable' | 'auth.unavailable',
  detail: string,
): ProblemException {
  return problemFor(code, detail, { headers: { 'retry-after': '5' } });
}

/** The tabled codes answered with `status`, for documentation. */
export function codesWithStatus(status: number): TabledProblemCode[] {
  return (Object.keys(PROBLEMS) as TabledProblemCode[]).filter((code) => PROBLEMS[code].status === status);
}
