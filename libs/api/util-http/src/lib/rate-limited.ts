import type { ProblemException } from './problem.exception';
import { problemFor } from './problems';

/** 429 `rate.limited`, with the seconds until the client's window ends in Retry-After. */
export function rateLimited(retryAfterSeconds: number): ProblemException {
  return problemFor('rate.limited', 'Rate limit reached; retry after the number of seconds in Retry-After', {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}
