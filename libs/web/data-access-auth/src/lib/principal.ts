/** Who is signed in, as the API tells people apart: the token's issuer and subject. */
export interface SignedInPrincipal {
  issuer: string;
  subject: string;
}

/** One string per person, for keying what this browser keeps for them. */
export function principalKey(principal: SignedInPrincipal): string {
  return JSON.stringify([principal.issuer, principal.subject]);
}

/** The principal an access token's claims name, if they name one. */
export function principalOf(
  claims: { iss?: unknown; sub?: unknown } | undefined,
): SignedInPrincipal | undefined {
  const { iss, sub } = claims ?? {};
  return typeof iss === 'string' && typeof sub === 'string' && iss && sub
    ? { issuer: iss, subject: sub }
    : undefined;
}
