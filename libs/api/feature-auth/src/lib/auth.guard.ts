import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@dropgate/shared/api-contract';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from '@dropgate/api/util-http';
import { AuthError } from '@dropgate/api/util-http';
import { TokenVerifier } from './token-verifier';

interface AuthRequest {
  url: string;
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
  raw?: { rawHeaders?: string[] };
  principal?: Principal;
}

/** `Bearer <token>`, case-insensitively, with a token of RFC 6750's characters only. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The global guard: every route needs a verified access token unless it is @Public(), and the
 * scopes its @Scopes() names. Features read who called through @CurrentPrincipal(), never the
 * header. A token in the query string is refused, not read (RFC 6750 discourages it: it leaks
 * into logs and histories).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  /** Each route's rule, read from its decorators once rather than on every request. */
  private readonly rules = new WeakMap<object, { isPublic: boolean; scopes: string[] }>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.ruleFor(context);
    if (rule.isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (hasQueryToken(request)) throw new AuthError('invalid');
    const header = request.headers['authorization'];
    if (header === undefined) throw new AuthError('missing');
    // Node keeps the first of several Authorization headers; which one counts is ambiguous.
    if (authorizationHeaders(request) > 1) throw new AuthError('invalid');
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new AuthError('invalid');
    const principal = await this.verifier.verify(token);
    const missing = rule.scopes.filter((scope) => !holds(principal.scopes, scope));
    if (missing.length) throw new AuthError('insufficient_scope', missing.join(' '));
    request.principal = principal;
    return true;
  }

  private ruleFor(context: ExecutionContext): { isPublic: boolean; scopes: string[] } {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (!rule) {
      const targets = [handler, context.getClass()];
      rule = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        scopes: this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, targets) ?? [],
      };
      this.rules.set(handler, rule);
    }
    return rule;
  }
}

/** `access_token` in the query, however encoded (`%61ccess_token` too), parsed or not. */
function hasQueryToken(request: AuthRequest): boolean {
  const query = request.query;
  if (query && typeof query === 'object' && 'access_token' in query) return true;
  return /[?&]access_token=/i.test(request.url);
}

function authorizationHeaders(request: AuthRequest): number {
  const raw = request.raw?.rawHeaders ?? [];
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === 'authorization') count += 1;
  return count;
}

/** `uploads:admin` reads anyone's uploads, so it carries `uploads:read` with it. */
function holds(scopes: string[], scope: string): boolean {
  return scopes.includes(scope) || (scope === 'uploads:read' && scopes.includes('uploads:admin'));
}
