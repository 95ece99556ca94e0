import { ProblemException, problem } from './problem.exception';

const DETAIL = 'Rate limit reached; retry after the number of seconds in Retry-After';

/** 429 `rate.limited`, with the seconds until the client's window ends in Retry-After. */
export function rateLimited(retryAfterSeconds: number): ProblemException {
  return new ProblemException(
    problem(429, 'rate-limited', 'Too many requests', DETAIL, [
      { field: '', code: 'rate.limited', message: DETAIL },
    ]),
    { 'retry-after': String(retryAfterSeconds) },
  );
}
