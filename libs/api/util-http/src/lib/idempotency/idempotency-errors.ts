import { ProblemException } from '../problem.exception';
import { problemFor } from '../problems';

/** 400 `idempotency.key_invalid`: the header is not a usable key. */
export function keyInvalid(): ProblemException {
  return ProblemException.validation([
    {
      field: 'Idempotency-Key',
      code: 'idempotency.key_invalid',
      message: 'Idempotency-Key must be 1 to 255 printable ASCII characters, such as a UUID (quoted or not)',
    },
  ]);
}

/** 422 `idempotency.key_reused`: this key was used for another request. */
export function keyReused(): ProblemException {
  const detail =
    'This Idempotency-Key was used for a different request in the last 24 hours: send a new key for a new request';
  return problemFor('idempotency.key_reused', detail, { field: 'Idempotency-Key' });
}

/** 409 `idempotency.in_flight`: the first request with this key has not finished. */
export function keyInFlight(): ProblemException {
  const detail = 'A request with this Idempotency-Key is still being processed: retry after Retry-After';
  return problemFor('idempotency.in_flight', detail, {
    field: 'Idempotency-Key',
    headers: { 'retry-after': '1' },
  });
}
