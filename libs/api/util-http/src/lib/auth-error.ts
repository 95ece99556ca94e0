import { ProblemException, problem } from './problem.exception';

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'insufficient_scope';

const TITLES: Record<AuthFailure, [title: string, detail: string]> = {
  missing: ['Authentication required', 'Send an access token as Authorization: Bearer <token>'],
  invalid: ['Invalid access token', 'The access token is not valid for this API'],
  expired: ['Expired access token', 'The access token has expired; get a new one'],
  insufficient_scope: ['Insufficient scope', 'The access token does not grant the scope this request needs'],
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
    const status = failure === 'insufficient_scope' ? 403 : 401;
    const [title, generic] = TITLES[failure];
    const detail = because?.detail ?? generic;
    const code = `auth.${failure}` as const;
    super(
      problem(status, code.replace(/[._]/g, '-'), title, detail, [
        { field: because?.field ?? '', code, message: detail },
      ]),
      {
        'www-authenticate': challenge(failure, scope),
      },
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
  return ProblemException.unavailable(
    'auth-unavailable',
    'Identity provider unreachable',
    'auth.unavailable',
    "The identity provider's keys cannot be fetched right now; try again shortly",
  );
}
