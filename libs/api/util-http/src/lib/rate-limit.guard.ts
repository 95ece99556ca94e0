import {
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@dropgate/shared/api-contract';
import { FixedWindowCounter } from './fixed-window-counter';
import type { RateCounter } from './rate-counter';
import { rateLimited } from './rate-limited';

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');

export interface RateLimitOptions {
  /** Requests per client per window. */
  max: number;
  windowMs: number;
}

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
 * (X-Forwarded-For's with TRUST_PROXY). Whether a route is skipped is looked up once per route.
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly counter: RateCounter & OnModuleDestroy;
  private readonly skipped = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMIT_OPTIONS) options: RateLimitOptions,
  ) {
    this.counter = new FixedWindowCounter(options.max, options.windowMs);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isSkipped(context)) return true;
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const { blocked, retryAfterSeconds } = await this.counter.hit(clientOf(request));
    if (blocked) throw rateLimited(retryAfterSeconds);
    return true;
  }

  onModuleDestroy(): void {
    this.counter.onModuleDestroy();
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
