import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError, authUnavailable } from './auth-error';
import { AuthFailureLimitGuard } from './auth-failure-limit.guard';
import { Public } from './auth.decorators';
import { FixedWindowCounter } from './fixed-window-counter';
import { ProblemException } from './problem.exception';

class Routes {
  guarded(): string {
    return 'guarded';
  }
  @Public()
  open(): string {
    return 'open';
  }
}

const contextFor = (route: 'guarded' | 'open', ip = '10.0.0.1'): ExecutionContext =>
  ({
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ ip }) }),
  }) as unknown as ExecutionContext;

describe('AuthFailureLimitGuard', () => {
  const authenticate = jest.fn<Promise<boolean>, [ExecutionContext]>();
  let counter: FixedWindowCounter;
  let sut: AuthFailureLimitGuard;
  const attempt = (route: 'guarded' | 'open' = 'guarded', ip?: string) =>
    sut.canActivate(contextFor(route, ip)).catch((error: unknown) => error);

  beforeEach(() => {
    authenticate.mockReset();
    counter = new FixedWindowCounter(2, 60_000);
    sut = new AuthFailureLimitGuard(new Reflector(), { canActivate: authenticate }, counter);
  });
  afterEach(() => counter.onModuleDestroy());

  it('should refuse a client over its failures with 429 rate.limited, before authenticating', async () => {
    authenticate.mockRejectedValue(new AuthError('invalid'));
    expect(await attempt()).toBeInstanceOf(AuthError);
    expect(await attempt()).toBeInstanceOf(AuthError);
    authenticate.mockClear();

    const refusal = (await attempt()) as ProblemException;
    expect(refusal).toBeInstanceOf(ProblemException);
    expect(refusal.getStatus()).toBe(429);
    expect(refusal.problem.errors[0].code).toBe('rate.limited');
    expect(Number(refusal.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('should count missing tokens and an unreachable provider, and each address on its own', async () => {
    authenticate.mockRejectedValueOnce(new AuthError('missing')).mockRejectedValueOnce(authUnavailable());
    await attempt();
    await attempt();
    authenticate.mockResolvedValue(true);
    expect(((await attempt()) as ProblemException).getStatus()).toBe(429);
    expect(await attempt('guarded', '10.0.0.2')).toBe(true);
  });

  it('should not count requests that authenticate, nor a token short of a scope', async () => {
    authenticate.mockResolvedValue(true);
    for (let i = 0; i < 5; i++) expect(await attempt()).toBe(true);
    authenticate.mockRejectedValue(new AuthError('insufficient_scope', 'uploads:write'));
    for (let i = 0; i < 5; i++) expect(await attempt()).toBeInstanceOf(AuthError);
    authenticate.mockRejectedValue(new AuthError('expired'));
    expect(await attempt()).toBeInstanceOf(AuthError);
    expect(await attempt()).toBeInstanceOf(AuthError);
    expect(((await attempt()) as ProblemException).getStatus()).toBe(429);
  });

  it('should leave public routes alone, even for a client over the limit', async () => {
    authenticate.mockRejectedValue(new AuthError('invalid'));
    await attempt();
    await attempt();
    authenticate.mockResolvedValue(true);
    expect(await attempt('open')).toBe(true);
  });
});
