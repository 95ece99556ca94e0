import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@dropgate/shared/api-contract';
import type { RateCounter } from './rate-counter';
import { countRateLimitRefusal } from '@dropgate/api/util-metrics';
import { rateLimited } from './rate-limited';

/** Counts requests per client for the global rate limit (see createRateCounter). */
export const RATE_LIMIT_COUNTER = Symbol('RATE_LIMIT_COUNTER');

const SKIP_RATE_LIMIT = 'dropgate:skip-rate-limit';

type LimitedRequest = FastifyRequest & { principal?: Principal };

/** Who is counted: the principal once authenticated (the AuthGuard runs first), else the address. */
const clientOf = (request: LimitedRequest) =>
  request.principal
    ? `principal ${request.principal.issuer} ${request.principal.subject}`
    : `ip ${request.ip}`;

/** Leaves a controller or route out of the rate limit (health checks). */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/**
 * The global rate limit: a fixed window per client, over it 429 `rate.limited` with
 * Retry-After. The client is the token's principal when there is one, else its address
 * (from X-Forwarded-For when the request came through one of TRUSTED_PROXIES). Whether a route
 * is skipped is looked up once per route.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly skipped = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMIT_COUNTER) private readonly counter: RateCounter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isSkipped(context)) return true;
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const { blocked, retryAfterSeconds } = await this.counter.hit(clientOf(request));
    if (blocked) {
      countRateLimitRefusal(request.principal ? 'principal' : 'address');
      throw rateLimited(retryAfterSeconds);
    }
    return true;
  }

  private isSkipped(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let skipped = this.skipped.get(handler);
    if (skipped === undefined) {
      skipped =
        this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, [handler, context.getClass()]) ?? false;
      this.skipped.set(handler, skipped);
    }
    return skipped;
  }
}
