import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError } from './auth-error';
import { PUBLIC_ROUTE } from './auth.decorators';
import { ProblemException } from './problem.exception';
import type { RateCounter } from './rate-counter';
import { countRateLimitRefusal } from '@dropgate/api/util-metrics';
import { rateLimited } from './rate-limited';

/** The guard that authenticates (feature-auth's AuthGuard), which this one runs in front of. */
export const AUTHENTICATION = Symbol('AUTHENTICATION');

/** Counts failed or missing authentication per client address. */
export const AUTH_FAILURE_COUNTER = Symbol('AUTH_FAILURE_COUNTER');

export interface Authentication {
  canActivate(context: ExecutionContext): Promise<boolean>;
}

/**
 * Limits failed or missing authentication per client address, in front of authentication: a
 * refused token costs the API a signature check (or a trip to the provider), and the rate limit
 * behind authentication counts only callers who got through. A client over the limit is refused
 * with 429 before its token is looked at; requests that authenticate are not counted, nor are
 * refusals for a missing scope (the token was good), nor @Public() routes.
 */
@Injectable()
export class AuthFailureLimitGuard implements CanActivate {
  private readonly publicRoutes = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATION) private readonly authentication: Authentication,
    @Inject(AUTH_FAILURE_COUNTER) private readonly failures: RateCounter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return this.authentication.canActivate(context);
    const client = `ip ${context.switchToHttp().getRequest<{ ip: string }>().ip}`;
    const { blocked, retryAfterSeconds } = await this.failures.peek(client);
    if (blocked) {
      countRateLimitRefusal('address');
      throw rateLimited(retryAfterSeconds);
    }
    try {
      return await this.authentication.canActivate(context);
    } catch (error) {
      if (isAuthenticationFailure(error)) await this.failures.hit(client);
      throw error;
    }
  }

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let isPublic = this.publicRoutes.get(handler);
    if (isPublic === undefined) {
      isPublic =
        this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, context.getClass()]) ?? false;
      this.publicRoutes.set(handler, isPublic);
    }
    return isPublic;
  }
}

/** 401 for a missing or bad token, and 503 when the provider's keys cannot be fetched. */
function isAuthenticationFailure(error: unknown): boolean {
  if (error instanceof AuthError) return error.failure !== 'insufficient_scope';
  return error instanceof ProblemException && error.problem.errors[0]?.code === 'auth.unavailable';
}
