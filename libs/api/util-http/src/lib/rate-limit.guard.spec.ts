import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { metricsRegistry } from '@dropgate/api/util-metrics';
import { FixedWindowCounter } from './fixed-window-counter';
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
  let counter: FixedWindowCounter;
  let sut: RateLimitGuard;
  beforeEach(() => {
    counter = new FixedWindowCounter(2, 60_000);
    sut = new RateLimitGuard(new Reflector(), counter);
  });
  afterEach(() => counter.onModuleDestroy());

  it('should refuse the request over the limit with 429 rate.limited and Retry-After', async () => {
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    const thrown = await sut.canActivate(contextFor(Limited, '10.0.0.1')).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(429);
    expect((thrown as ProblemException).problem.errors[0].code).toBe('rate.limited');
    expect(Number((thrown as ProblemException).headers['retry-after'])).toBeGreaterThanOrEqual(59);
  });

  it('should count each refusal in dropgate_rate_limit_refusals_total, by the limit that refused', async () => {
    const refusals = async () => {
      const metric = metricsRegistry.getSingleMetric('dropgate_rate_limit_refusals_total');
      const { values } = (await metric?.get()) ?? { values: [] };
      return values.find((v) => v.labels['limit'] === 'address')?.value ?? 0;
    };
    const before = await refusals();
    for (let i = 0; i < 4; i++) await sut.canActivate(contextFor(Limited, '10.0.0.9')).catch(() => undefined);
    expect(await refusals()).toBe(before + 2);
  });

  it('should count clients apart and never count skipped routes', async () => {
    for (let i = 0; i < 5; i++) expect(await sut.canActivate(contextFor(Skipped, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.1'))).toBe(true);
    expect(await sut.canActivate(contextFor(Limited, '10.0.0.2'))).toBe(true);
  });
});
