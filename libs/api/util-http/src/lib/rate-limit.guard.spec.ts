import { HttpException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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

function contextFor(
  controller: new () => object,
  ip: string,
  headers: Record<string, string>,
): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)['route'],
    getClass: () => controller,
    switchToHttp: () => ({
      getRequest: () => ({ ip }),
      getResponse: () => ({ header: (name: string, value: string) => (headers[name] = value) }),
    }),
  } as unknown as ExecutionContext;
}

describe('RateLimitGuard', () => {
  let sut: RateLimitGuard;
  beforeEach(() => (sut = new RateLimitGuard(new Reflector(), { max: 2, windowMs: 60_000 })));
  afterEach(() => sut.onModuleDestroy());

  it('should refuse the request over the limit with 429 and Retry-After', () => {
    const headers: Record<string, string> = {};
    expect(sut.canActivate(contextFor(Limited, '10.0.0.1', headers))).toBe(true);
    expect(sut.canActivate(contextFor(Limited, '10.0.0.1', headers))).toBe(true);
    let thrown: unknown;
    try {
      sut.canActivate(contextFor(Limited, '10.0.0.1', headers));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpException);
    expect((thrown as HttpException).getStatus()).toBe(429);
    expect(Number(headers['retry-after'])).toBeGreaterThanOrEqual(59);
  });

  it('should count clients apart and never count skipped routes', () => {
    for (let i = 0; i < 5; i++) expect(sut.canActivate(contextFor(Skipped, '10.0.0.1', {}))).toBe(true);
    expect(sut.canActivate(contextFor(Limited, '10.0.0.1', {}))).toBe(true);
    expect(sut.canActivate(contextFor(Limited, '10.0.0.1', {}))).toBe(true);
    expect(sut.canActivate(contextFor(Limited, '10.0.0.2', {}))).toBe(true);
  });
});
