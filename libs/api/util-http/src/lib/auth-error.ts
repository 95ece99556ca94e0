import { ProblemException } from './problem.exception';
import { problemDetailsFor, unavailable } from './problems';

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'insufficient_scope';

const DETAILS: Record<AuthFailure, string> = {
  missing: 'Send an access token as Authorization: Bearer <token>',
  invalid: 'The access token is not valid for this API',
  expired: 'The access token has expired; get a new one',
  insufficient_scope: 'The access token does not grant the scope this request needs',
};

/**
 * A refused request, as RFC 6750 describes it: 401 with `error="invalid_token"` for a token that
 * is malformed, forged, for someone else or expired (a bare challenge when there is none), 403
 * with `error="insufficient_scope"` and the scope needed. The body says no more than the code
 * about which check failed, and never echoes the token.
 */
export class AuthError extends ProblemException {
  constructor(
    readonly failure: AuthFailure,
    scope?: string,
    /** Where a feature refuses on its own account: the field that needs the scope, and why. */
    because?: { field: string; detail: string },
  ) {
    super(
      problemDetailsFor(`auth.${failure}`, because?.detail ?? DETAILS[failure], { field: because?.field }),
      { 'www-authenticate': challenge(failure, scope) },
    );
  }
}

function challenge(failure: AuthFailure, scope?: string): string {
  if (failure === 'missing') return 'Bearer realm="dropgate"';
  if (failure === 'insufficient_scope')
    return `Bearer realm="dropgate", error="insufficient_scope", scope="${scope}"`;
  return 'Bearer realm="dropgate", error="invalid_token"';
}

/**
 * The provider's discovery document or keys could not be fetched: the token may be fine, so this
 * is a 503 to retry, not a 401 that would send a person to sign in again.
 */
export function authUnavailable(): ProblemException {
  return unavailable(
    'auth.unavailable',
    "The identity provider's keys cannot be fetched right now; try again shortly",
  );
}
