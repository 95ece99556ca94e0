import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from './problem.exception';
import { RateLimitGuard, SkipRateLimit } from './rate-limit.guard';

class Limited {
  route(): string {
    return 'limited';
  }
}
@SkipRateLimit()
class Skipped {
  route(): string {
    return 'skipped';
  }
}

function contextFor(controller: new () => object, ip: string): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)['route'],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ ip }) }),
  } as unknown as ExecutionContext;
}

describe('RateLimitGuard', () => {
  let sut: RateLimitGuard;
  beforeEach(() => (sut = new RateLimitGuard(new Reflector(), { max: 2, windowMs: 60_000 })));
  afterEach(() => sut.onModuleDestroy());

  it('should refuse the request over the limit with 429 rate.limited and Retry-After', async () => {
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    const thrown = await sut.canActivate(contextFor(Limited, '10.0.0.1')).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(429);
    expect((thrown as ProblemException).problem.errors[0].code).toBe('rate.limited');
    expect(Number((thrown as ProblemException).headers['retry-after'])).toBeGreaterThanOrEqual(59);
  });

  it('should count clients apart and never count skipped routes', async () => {
    for (let i = 0; i < 5; i++) expect(await sut.canActivate(contextFor(Skipped, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.2'))).toBe(true);
  });
});
